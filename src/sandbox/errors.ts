// A sandbox command that cannot do what it was asked (not up, a port taken, a server that does
// not answer): the CLI shows its message as a one-line usage error.
export class SandboxError extends Error {}
