import { journalStreams, type LineStreams } from "../report/journal.js";

/** What a command may touch of its process: passed in, so commands run in tests without one. */
export type Io = LineStreams;

/** The real process; under systemd, with which of its streams are the journal. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    journal: journalStreams(process.env["JOURNAL_STREAM"]),
  };
}
