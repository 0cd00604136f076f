// The operator's locale as the real command-line tools read it (LC_ALL, then LC_MESSAGES, then
// LANG), and the few things the shims need to print as procps and coreutils do under it: the
// Korean translations (copied from procps-ng 4.0.2 and coreutils 9.1 under ko_KR.UTF-8) and
// padding by display width (a Hangul syllable takes two columns, as the tools pad it).
// Node built-ins only: bundled into the shim program.

export type ToolLocale = 'C' | 'ko'

/** The locale the messages of a tool follow; anything but a Korean locale prints the C form. */
export function toolLocale(env: NodeJS.ProcessEnv): ToolLocale {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return /^ko_KR/i.test(value) ? 'ko' : 'C'
}

/** Columns a string takes on a terminal: Hangul and other wide characters count two. */
export function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60) ? 2 : 1
  }
  return w
}

export const padEndW = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - displayWidth(s)))
export const padStartW = (s: string, n: number): string => ' '.repeat(Math.max(0, n - displayWidth(s))) + s

/** The translated strings, keyed by the C text (what each tool prints in each locale). */
export const TOOL_TEXT = {
  C: {
    freeHeader: '               total        used        free      shared  buff/cache   available',
    mem: 'Mem:',
    swap: 'Swap:',
    tasks: (t: number, r: number, s: number) => `Tasks: ${pad3(t)} total, ${pad3(r)} running, ${pad3(s)} sleeping,   0 stopped,   0 zombie`,
    cpu: '%Cpu(s):',
    topMem: (total: string, free: string, used: string, cache: string) => `MiB Mem : ${total} total, ${free} free, ${used} used, ${cache} buff/cache     `,
    topSwap: (avail: string) => `MiB Swap:      0.0 total,      0.0 free,      0.0 used. ${avail} avail Mem `,
    dfFilesystem: 'Filesystem',
    dfSize: 'Size',
    dfUsed: 'Used',
    dfAvail: 'Avail',
    dfAvailable: 'Available',
    dfBlocks: '1K-blocks',
    dfBlocksP: '1024-blocks',
    dfUse: 'Use%',
    dfCapacity: 'Capacity',
    dfMounted: 'Mounted on',
  },
  ko: {
    freeHeader: '               총계         사용        여분      공유    버퍼/캐시    가용',
    mem: '메모리:',
    swap: '스  왑:',
    tasks: (t: number, r: number, s: number) => `작  업: ${pad3(t)} 총계, ${pad3(r)} 실행, ${pad3(s)} 대기,   0 멈춤,   0 좀비`,
    cpu: '%Cpu:',
    topMem: (total: string, free: string, used: string, cache: string) => `MiB 메모리 : ${total} 총계, ${free} 잔여, ${used} 사용, ${cache} 버퍼/캐시    `,
    topSwap: (avail: string) => `MiB 스  왑:      0.0 총계,      0.0 잔여,      0.0 사용. ${avail} 가용  메모리 `,
    dfFilesystem: '파일 시스템',
    dfSize: '크기',
    dfUsed: '사용',
    dfAvail: '가용',
    dfAvailable: '가용',
    dfBlocks: '1K-블록',
    dfBlocksP: '1024-블록',
    dfUse: '사용%',
    dfCapacity: '용량',
    dfMounted: '마운트위치',
  },
} as const

function pad3(n: number): string {
  return String(n).padStart(3)
}
