import type { Line } from "../report/format.js";
import { onStderr, shown, type Verbosity } from "../report/log.js";
import type { Io } from "./io.js";

/** Prints a report's lines as the verbosity asks (report/log.ts): errors and warnings to stderr. */
export function printLines(lines: readonly Line[], verbosity: Verbosity, io: Io): void {
  for (const line of lines)
    if (shown(line.level, verbosity))
      (onStderr(line.level) ? io.stderr : io.stdout)(`${line.text}\n`);
}
