import { fstatSync } from "node:fs";
import { printable } from "../common/redact.js";
import type { Line } from "./format.js";

/** Which of stdout and stderr are connected to the journal. */
export interface JournalStreams {
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/** Where lines are written, and which of the two streams is the journal (none when absent). */
export interface LineStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly journal?: JournalStreams | undefined;
}

/**
 * Which streams are the journal: JOURNAL_STREAM ("DEV:INODE", systemd.exec(5)) compared with
 * fds 1 and 2, as sd-daemon does, since a child whose output was redirected (a pipe, a file, cron
 * from a service) inherits the variable but not the stream. Undefined without JOURNAL_STREAM.
 */
export function journalStreams(
  value: string | undefined,
  stat: (fd: number) => { dev: bigint; ino: bigint } | undefined = statFd,
): JournalStreams | undefined {
  const match = /^(\d+):(\d+)$/.exec(value ?? "");
  if (match === null) return undefined;
  const [dev, ino] = [BigInt(match[1] ?? ""), BigInt(match[2] ?? "")];
  const same = (fd: number) => {
    const s = stat(fd);
    return s !== undefined && s.dev === dev && s.ino === ino;
  };
  return { stdout: same(1), stderr: same(2) };
}

/** sd-daemon.h's SD_ERR, SD_WARNING, SD_INFO and SD_DEBUG, which journald reads as priorities. */
const PRIORITY: Readonly<Record<Line["level"], string>> = {
  error: "<3>",
  warning: "<4>",
  change: "<6>",
  info: "<7>",
};

/**
 * Writes a line of `level`: errors and warnings to stderr, the rest to stdout. On a stream that
 * is the journal each line starts with its priority, so `journalctl -p warning` shows errors and
 * warnings only; elsewhere (a terminal, cron's mail) the text is unchanged. Every line goes
 * through printable() (common/redact.ts): nothing from input in it can drive a terminal.
 */
export function writeLine(streams: LineStreams, level: Line["level"], raw: string): void {
  const text = raw.split("\n").map(printable).join("\n");
  const toErr = level === "error" || level === "warning";
  const journal = toErr ? streams.journal?.stderr : streams.journal?.stdout;
  const shown =
    journal === true ? `${PRIORITY[level]}${text.replaceAll("\n", `\n${PRIORITY[level]}`)}` : text;
  (toErr ? streams.stderr : streams.stdout)(`${shown}\n`);
}

// --- internal ---

function statFd(fd: number): { dev: bigint; ino: bigint } | undefined {
  try {
    return fstatSync(fd, { bigint: true });
  } catch {
    return undefined;
  }
}
