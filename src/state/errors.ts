/**
 * The state folder, the state file or the lock cannot be used safely: the tool cannot work here.
 * main() prints the message and exits with `exitCode` (4, "environment").
 */
export class StateError extends Error {
  override readonly name = "StateError";
  readonly exitCode = 4;
}

/** Why a file operation failed, in words an operator acts on (never a stack trace). */
export function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EROFS":
      return "read-only file system";
    case "EACCES":
    case "EPERM":
      return "permission denied; run as root, or set stateDir to a writable folder";
    case "EISDIR":
      return "it is a folder";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ELOOP":
      return "it is a symbolic link";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
