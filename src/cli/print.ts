import type { Line } from "../report/format.js";
import { writeLine } from "../report/journal.js";
import { shown, type Verbosity } from "../report/log.js";
import type { Io } from "./io.js";

/** Prints a report's lines as the verbosity asks (report/log.ts shown(); streams: writeLine). */
export function printLines(lines: readonly Line[], verbosity: Verbosity, io: Io): void {
  for (const line of lines) if (shown(line.level, verbosity)) writeLine(io, line.level, line.text);
}
