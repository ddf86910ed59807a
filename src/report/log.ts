import { systemClock } from "../clock.js";
import { type LineStreams, writeLine } from "../common/journal.js";
import { printable } from "../common/redact.js";
import type { Line } from "./format.js";

/** Journal-friendly output: plain lines (no colours), or one JSON object per line. */
export interface Log {
  line(line: Line): void;
}

/**
 * A log writing to the given streams: `info` lines only when verbose, errors only when quiet;
 * with syslog priorities on a stream that is the journal (common/journal.ts).
 */
export function createLog(
  format: "text" | "json",
  verbosity: "quiet" | "normal" | "verbose",
  streams: LineStreams,
  now: () => number = systemClock.now,
): Log {
  return {
    line({ level, text: raw }) {
      const text = printable(raw);
      if (level === "info" && verbosity !== "verbose") return;
      if (level !== "error" && verbosity === "quiet") return;
      const shown =
        format === "json"
          ? JSON.stringify({ time: new Date(now()).toISOString(), level, message: text })
          : text;
      writeLine(streams, level, shown);
    },
  };
}
