import { systemClock } from "../clock.js";
import type { Line } from "./format.js";

/** How much a command prints: `--quiet`, the default, `--verbose`. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** Whether a line is shown: `info` only when verbose, only errors when quiet. */
export function shown(level: Line["level"], verbosity: Verbosity): boolean {
  if (level === "info" && verbosity !== "verbose") return false;
  return level === "error" || verbosity !== "quiet";
}

/** Errors and warnings go to stderr, the rest to stdout. */
export function onStderr(level: Line["level"]): boolean {
  return level === "error" || level === "warning";
}

/** Journal-friendly output: plain lines (no colours), or one JSON object per line. */
export interface Log {
  line(line: Line): void;
}

/** A log writing to the given streams, filtered by `verbosity` (shown()). */
export function createLog(
  format: "text" | "json",
  verbosity: Verbosity,
  out: (text: string) => void,
  err: (text: string) => void,
  now: () => number = systemClock.now,
): Log {
  return {
    line({ level, text }) {
      if (!shown(level, verbosity)) return;
      const stream = onStderr(level) ? err : out;
      if (format === "json")
        stream(
          `${JSON.stringify({ time: new Date(now()).toISOString(), level, message: text })}\n`,
        );
      else stream(`${text}\n`);
    },
  };
}
