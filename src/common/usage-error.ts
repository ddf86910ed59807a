/** A command line or request that cannot be run; the message says what to type instead (exit 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
