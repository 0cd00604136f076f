// How much data the sandbox generates: the default is two years of a service of ~12 000 users;
// $SANDBOX_DATA_SCALE (0 < x < 1) shrinks every table for quick tests.
export interface DataScale {
  users: number
  excelFiles: number
  aiAnalyses: number
  aiUsageRecords: number
  chatMessages: number
  payments: number
  jobs: number
}

export const DEFAULT_SCALE: DataScale = {
  users: 12_000,
  excelFiles: 120_000,
  aiAnalyses: 150_000,
  aiUsageRecords: 400_000,
  chatMessages: 300_000,
  payments: 45_000,
  jobs: 100_000,
}

/** A scale for quick tests: $SANDBOX_DATA_SCALE (0 < x ≤ 1) multiplies every table. */
export function scaleFrom(env: Record<string, string | undefined>): DataScale {
  const f = Number(env.SANDBOX_DATA_SCALE ?? '1')
  if (!Number.isFinite(f) || f <= 0 || f >= 1) return DEFAULT_SCALE
  const s = (n: number) => Math.max(200, Math.round(n * f))
  return {
    users: s(DEFAULT_SCALE.users),
    excelFiles: s(DEFAULT_SCALE.excelFiles),
    aiAnalyses: s(DEFAULT_SCALE.aiAnalyses),
    aiUsageRecords: s(DEFAULT_SCALE.aiUsageRecords),
    chatMessages: s(DEFAULT_SCALE.chatMessages),
    payments: s(DEFAULT_SCALE.payments),
    jobs: s(DEFAULT_SCALE.jobs),
  }
}
