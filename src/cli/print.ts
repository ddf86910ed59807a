import { writeLine } from "../common/journal.js";
import type { Line } from "../report/format.js";
import type { Args } from "./args.js";
import type { Io } from "./io.js";

/** Prints a report's lines as the verbosity asks (errors and warnings to stderr: writeLine). */
export function printLines(lines: readonly Line[], verbosity: Args["verbosity"], io: Io): void {
  for (const line of lines) {
    if (line.level === "info" && verbosity !== "verbose") continue;
    if (line.level !== "error" && verbosity === "quiet") continue;
    writeLine(io, line.level, line.text);
  }
}
