// Property tests run with a fixed seed so `npm test` is deterministic; RUNBOOK_FC_SEED=random
// (or a number) explores other inputs on demand.
import fc from 'fast-check'

const seed = process.env.RUNBOOK_FC_SEED
fc.configureGlobal({ seed: seed === 'random' ? Date.now() : Number(seed ?? 20261126) })
