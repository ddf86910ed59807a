import { systemClock } from "../clock.js";
import { printable } from "../common/redact.js";
import type { Line } from "./format.js";

/** Journal-friendly output: plain lines (no colours), or one JSON object per line. */
export interface Log {
  line(line: Line): void;
}

/** A log writing to the given streams: `info` lines only when verbose, errors only when quiet. */
export function createLog(
  format: "text" | "json",
  verbosity: "quiet" | "normal" | "verbose",
  out: (text: string) => void,
  err: (text: string) => void,
  now: () => number = systemClock.now,
): Log {
  return {
    line({ level, text: raw }) {
      const text = printable(raw);
      if (level === "info" && verbosity !== "verbose") return;
      if (level !== "error" && verbosity === "quiet") return;
      const stream = level === "error" || level === "warning" ? err : out;
      if (format === "json")
        stream(
          `${JSON.stringify({ time: new Date(now()).toISOString(), level, message: text })}\n`,
        );
      else stream(`${text}\n`);
    },
  };
}
