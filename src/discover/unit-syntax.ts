// systemd's configuration syntax, systemd.syntax(7), as networkd reads `.netdev` files: sections
// and keys are case-sensitive, a comment is a line that starts with `#` or `;`, a trailing `\`
// joins a line with the next (the backslash becomes a space), whitespace around `=` is ignored.

/** One `Key=value` assignment, with the line it starts on. */
export interface UnitEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/** One `[Section]` and its assignments, in file order; sections may repeat. */
export interface UnitSection {
  readonly name: string;
  readonly line: number;
  readonly entries: UnitEntry[];
}

/** What systemd would complain about while reading (it warns and goes on). */
export interface UnitSyntaxProblem {
  readonly line: number;
  readonly message: string;
}

/** The sections of a file in systemd's syntax; never throws, never echoes a value. */
export function readUnitSyntax(text: string): {
  sections: UnitSection[];
  problems: UnitSyntaxProblem[];
} {
  const sections: UnitSection[] = [];
  const problems: UnitSyntaxProblem[] = [];
  let current: UnitSection | undefined;
  for (const { text: line, number } of logicalLines(text)) {
    if (line.startsWith("[")) {
      if (!line.endsWith("]") || line.length < 3) {
        problems.push({ line: number, message: "a section header must be [Name]; line ignored" });
        current = undefined;
        continue;
      }
      current = { name: line.slice(1, -1), line: number, entries: [] };
      sections.push(current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) {
      problems.push({ line: number, message: 'expected "Key=value"; line ignored' });
      continue;
    }
    if (current === undefined) {
      problems.push({ line: number, message: "an assignment outside any section; ignored" });
      continue;
    }
    current.entries.push({
      key: trim(line.slice(0, eq)),
      value: trim(line.slice(eq + 1)),
      line: number,
    });
  }
  return { sections, problems };
}

// --- internal ---

const WHITESPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;

function trim(text: string): string {
  return text.replace(WHITESPACE, "");
}

/** Lines with comments and blanks left out and continuations joined, each with its first line. */
function* logicalLines(text: string): Generator<{ text: string; number: number }> {
  const raw = text.split("\n");
  let pending: { text: string; number: number } | undefined;
  for (let i = 0; i < raw.length; i++) {
    const line = trim(raw[i] ?? "");
    if (line === "" && pending === undefined) continue;
    // NOTE: only a line that starts with # or ; is a comment; an inline "# ..." is part of the value.
    if (line.startsWith("#") || line.startsWith(";")) continue;
    const joined = pending === undefined ? line : `${pending.text}${line}`;
    const number = pending?.number ?? i + 1;
    if (line.endsWith("\\")) {
      pending = { text: `${joined.slice(0, -1)} `, number };
      continue;
    }
    pending = undefined;
    if (joined !== "") yield { text: trim(joined), number };
  }
  if (pending !== undefined && trim(pending.text) !== "")
    yield { text: trim(pending.text), number: pending.number };
}
