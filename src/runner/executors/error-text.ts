// The message of anything thrown, for reasons and errors shown to the operator.
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
