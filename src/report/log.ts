import { systemClock } from "../clock.js";
import { printable } from "../common/redact.js";
import type { Line } from "./format.js";
import { type LineStreams, writeLine } from "./journal.js";

/** How much a command prints: `--quiet`, the default, `--verbose`. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** Whether a line is shown: `info` only when verbose, only errors when quiet. */
export function shown(level: Line["level"], verbosity: Verbosity): boolean {
  if (level === "info" && verbosity !== "verbose") return false;
  return level === "error" || verbosity !== "quiet";
}

/** Journal-friendly output: plain lines (no colours), or one JSON object per line. */
export interface Log {
  line(line: Line): void;
}

/**
 * A log writing to the given streams, filtered by `verbosity` (shown()); with syslog priorities
 * on a stream that is the journal (journal.ts).
 */
export function createLog(
  format: "text" | "json",
  verbosity: Verbosity,
  streams: LineStreams,
  now: () => number = systemClock.now,
): Log {
  return {
    line({ level, text: raw }) {
      if (!shown(level, verbosity)) return;
      // Before JSON.stringify, which would turn an escape into text rather than drop it.
      const text = printable(raw);
      const line =
        format === "json"
          ? JSON.stringify({ time: new Date(now()).toISOString(), level, message: text })
          : text;
      writeLine(streams, level, line);
    },
  };
}
