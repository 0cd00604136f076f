// The clock, passed in wherever the run, the report, a lock or a sign-off reads the time, so that
// tests can fix it. The system clock is only the default at the edge, where nothing was passed.
export type Clock = () => Date

export const systemClock: Clock = () => new Date()
