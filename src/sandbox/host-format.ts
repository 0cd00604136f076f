// What the simulated host's procps and df print (free, df, uptime, top, ps), computed from the
// host state in the real tools' formats. Node built-ins only: bundled into the shim program.
import { cpuFigures, diskFigures, memoryFigures, type HostState } from './host.js'
import { displayWidth, padEndW, padStartW, TOOL_TEXT, type ToolLocale } from './locale.js'

/** `free -h` as procps scales: one decimal below 10 (1.2Gi), whole numbers above (16Gi, 174Mi). */
function human(mb: number): string {
  if (mb === 0) return '0B'
  const [v, u] = mb >= 1024 ? [mb / 1024, 'Gi'] : [mb, 'Mi']
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${u}`
}

/** free as procps-ng 4 prints it: the label padded to 9 columns (display width), cells of 11, one space apart. */
export function formatFree(state: HostState, args: string[], locale: ToolLocale = 'C'): string {
  const f = memoryFigures(state)
  const t = TOOL_TEXT[locale]
  const h = args.some((a) => /^-[a-z]*h/.test(a) || a === '--human')
  const unit = args.includes('-g') || args.includes('--gibi') ? 1 / 1024 : args.includes('-m') || args.includes('--mebi') ? 1 : 1024
  const n = (mb: number) => (h ? human(mb) : String(Math.round(mb * unit)))
  const row = (label: string, cells: string[]) => padEndW(label, 9) + cells.map((c, i) => (i === 0 ? '' : ' ') + c.padStart(11)).join('')
  return [t.freeHeader, row(t.mem, [n(f.totalMb), n(f.usedMb), n(f.freeMb), n(f.sharedMb), n(f.cacheMb), n(f.availableMb)]), row(t.swap, [n(0), n(0), n(0)])].join('\n') + '\n'
}

/** df as coreutils prints it: columns as wide as their widest cell (display width), -P's POSIX header. */
export function formatDf(state: HostState, args: string[], locale: ToolLocale = 'C'): string {
  const d = diskFigures(state)
  const t = TOOL_TEXT[locale]
  const h = args.some((a) => /^-[a-zA-Z]*h/.test(a) || a === '--human-readable')
  const posix = args.some((a) => /^-[a-zA-Z]*P/.test(a) || a === '--portability')
  const paths = args.filter((a) => !a.startsWith('-'))
  const g = (gb: number) => (h ? (gb === 0 ? '0' : gb < 1 ? `${Math.round(gb * 1024)}M` : `${Math.round(gb)}G`) : String(Math.round(gb * 1024 * 1024)))
  const rows: string[][] = [
    ['/dev/nvme0n1p1', g(d.sizeGb), g(d.usedGb), g(d.availGb), `${d.usedPercent}%`, '/'],
    ['tmpfs', g(7.8), g(0), g(7.8), '0%', '/dev/shm'],
    ['/dev/nvme0n1p15', g(0.12), g(0.012), g(0.11), '10%', '/boot/efi'],
  ]
  const shown = paths.length === 0 ? rows : rows.slice(0, 1)
  const header = [t.dfFilesystem, h ? t.dfSize : posix ? t.dfBlocksP : t.dfBlocks, t.dfUsed, h ? t.dfAvail : t.dfAvailable, posix ? t.dfCapacity : t.dfUse, t.dfMounted]
  const widths = header.map((_, i) => Math.max(displayWidth(header[i]!), ...shown.map((r) => displayWidth(r[i]!))))
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === 5 ? padEndW(c, widths[i]!) : padStartW(c, widths[i]!))).join(' ').trimEnd()
  return [line(header), ...shown.map(line)].join('\n') + '\n'
}

export function uptimeText(state: HostState, now: Date): { up: string; load: string } {
  const secs = Math.max(0, (now.getTime() - Date.parse(state.bootedAt)) / 1000)
  const days = Math.floor(secs / 86_400)
  const hh = Math.floor((secs % 86_400) / 3600)
  const mm = Math.floor((secs % 3600) / 60)
  const cpu = cpuFigures(state)
  const base = ((100 - cpu.idle) / 100) * 8
  const load = [base * 1.05, base, base * 0.9].map((x) => x.toFixed(2)).join(', ')
  return { up: `${days} days, ${String(hh).padStart(2)}:${String(mm).padStart(2, '0')}`, load }
}

export function formatUptime(state: HostState, now: Date): string {
  const u = uptimeText(state, now)
  return ` ${now.toTimeString().slice(0, 8)} up ${u.up},  2 users,  load average: ${u.load}\n`
}

export interface SimProcess {
  user: string
  pid: number
  cpu: number
  mem: number
  vszKb: number
  rssKb: number
  stat: string
  start: string
  time: string
  command: string
}

export function processes(state: HostState): SimProcess[] {
  const m = memoryFigures(state)
  const pct = (mb: number) => Math.round((mb / m.totalMb) * 1000) / 10
  const cpu = cpuFigures(state)
  const list: SimProcess[] = []
  const add = (user: string, pid: number, cpuPct: number, rssMb: number, start: string, time: string, command: string) =>
    list.push({ user, pid, cpu: cpuPct, mem: pct(rssMb), vszKb: Math.round(rssMb * 1024 * 1.6), rssKb: Math.round(rssMb * 1024), stat: 'Sl', start, time, command })
  add('root', 1, 0, 12, 'Nov03', '0:41', '/sbin/init')
  add('root', 612, 0, 9, 'Nov03', '0:00', 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;')
  add('www-data', 613, 0.3, 14, 'Nov03', '3:12', 'nginx: worker process')
  add('www-data', 614, 0.3, 14, 'Nov03', '3:09', 'nginx: worker process')
  add('postgres', 702, 0.4, 210, 'Nov03', '12:44', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main')
  add('redis', 731, 0.2, 96, 'Nov03', '8:02', '/usr/bin/redis-server 127.0.0.1:6379')
  if (state.services['excelapp-rails']?.active) {
    const perWorker = state.faults['slow-app'] ? Math.round((cpu.user / state.memory.workers) * 10) / 10 : 2.4
    add('deploy', 20114, 0.1, 160, '09:02', '0:05', 'puma 6.4.2 (tcp://0.0.0.0:3000) [excelapp-rails]')
    for (let i = 0; i < state.memory.workers; i++)
      add('deploy', 20121 + i, perWorker, state.memory.workerMb, '09:02', `${4 + i}:1${i}`, `puma: cluster worker ${i}: 20114 [excelapp-rails]`)
  }
  if (state.services['solid-queue']?.active) add('deploy', 20180, 0.6, 240, '09:02', '1:37', 'solid-queue-supervisor(1.1.2): supervising 3 workers (bin/jobs)')
  if (state.services['formula-engine']?.active) add('1000', 31407, state.faults['formula-engine-down'] ? 0 : 1.9, 350, 'Nov20', '22:18', 'node /app/dist/server.js --port 3002')
  return list
}

export function formatPs(state: HostState, args: string[]): string {
  let list = processes(state)
  const sort = args.find((a) => a.startsWith('--sort='))?.slice(7) ?? (args.includes('--sort') ? args[args.indexOf('--sort') + 1] : undefined)
  if (sort) {
    const desc = sort.startsWith('-')
    const key = sort.replace(/^[-+]/, '')
    const val = (p: SimProcess) => (key.includes('mem') || key === 'rss' ? p.rssKb : key.includes('cpu') ? p.cpu : p.pid)
    list = [...list].sort((a, b) => (desc ? val(b) - val(a) : val(a) - val(b)))
  }
  const header = 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND'
  const rows = list.map(
    (p) =>
      `${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${p.cpu.toFixed(1).padStart(4)} ${p.mem.toFixed(1).padStart(4)} ${String(p.vszKb).padStart(7)} ${String(p.rssKb).padStart(6)} ?        ${p.stat.padEnd(4)} ${p.start.padStart(5)} ${p.time.padStart(6)} ${p.command}`,
  )
  return [header, ...rows].join('\n') + '\n'
}

/**
 * `top -b -n N`: N frames, as top prints them. The first frame's CPU line is the average since
 * boot (top has no earlier sample to compare with), the later ones the current load: a parser
 * that reads the first frame sees a calm host during the slow-app drill, as on a real one.
 */
export function formatTop(state: HostState, now: Date, locale: ToolLocale = 'C', frames = 1): string {
  const out: string[] = []
  for (let i = 0; i < Math.max(1, frames); i++) out.push(topFrame(state, now, locale, i === 0))
  return out.join('\n')
}

function topFrame(state: HostState, now: Date, locale: ToolLocale, sinceBoot: boolean): string {
  const t = TOOL_TEXT[locale]
  const u = uptimeText(state, now)
  const current = cpuFigures(state)
  const c = sinceBoot ? { user: 3.1, system: 1.2, idle: 95.4, iowait: 0.1 } : current
  const m = memoryFigures(state)
  const list = [...processes(state)].sort((a, b) => b.cpu - a.cpu)
  const p = (v: number) => v.toFixed(1).padStart(5)
  const f = (v: number) => v.toFixed(1).padStart(8)
  const running = current.user > 50 ? 5 : 1
  const lines = [
    `top - ${now.toTimeString().slice(0, 8)} up ${u.up},  2 users,  load average: ${u.load}`,
    t.tasks(187, running, 187 - running),
    `${t.cpu}${p(c.user)} us,${p(c.system)} sy,${p(0)} ni,${p(c.idle)} id,${p(c.iowait)} wa,${p(0)} hi,${p(0.2)} si,${p(0)} st `,
    t.topMem(f(m.totalMb), f(m.freeMb), f(m.usedMb), f(m.cacheMb)),
    t.topSwap(f(m.availableMb)),
    '',
    '    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND',
    ...list.map(
      (p) =>
        `${String(p.pid).padStart(7)} ${p.user.padEnd(8)}  20   0 ${String(p.vszKb).padStart(7)} ${String(p.rssKb).padStart(6)}  10240 S ${p.cpu.toFixed(1).padStart(5)} ${p.mem.toFixed(1).padStart(5)} ${p.time.padStart(9)} ${p.command.split(' ')[0]}`,
    ),
  ]
  return lines.join('\n') + '\n'
}
