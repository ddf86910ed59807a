// Splits a config file into sections the way `wg-quick up` reads it: wg-quick takes its own keys
// out of [Interface] (linux.bash parse_options), and `wg setconf` reads every other line
// (config.c config_read_line). The two disagree on purpose-built edge cases, so both are modelled.

/** A section as `wg` sees it; "unknown" follows a header wg does not know. */
export interface Section {
  readonly kind: "none" | "interface" | "peer" | "unknown";
  /** The header's line; 0 for the lines before any header. */
  readonly line: number;
  /** The header as written (trimmed), for an unknown one. */
  readonly header: string;
  readonly entries: Entry[];
}

/** A line that reaches `wg`, whitespace removed; `name` and `value` split at the first `=`. */
export interface Entry {
  readonly line: number;
  readonly text: string;
  /** The line as written, up to any `#`, trimmed: for messages only. */
  readonly raw: string;
  /** The key in lower case (ASCII only, as strcasecmp), or undefined for a line without `=`. */
  readonly key: string | undefined;
  readonly value: string;
  /** The key as written in wg-quick's view: trimmed, inner whitespace kept. */
  readonly quickKey: string;
}

/** A line wg-quick takes for itself: a wg-quick key in its [Interface]. */
export interface QuickEntry {
  readonly line: number;
  /** The key in lower case (`saveconfig`). */
  readonly key: string;
  /** The value, trimmed, as wg-quick reads it. */
  readonly value: string;
}

/** The file in sections, wg-quick's lines apart, and whether it starts with a byte order mark. */
export interface ConfLines {
  readonly sections: Section[];
  readonly quick: QuickEntry[];
  readonly bom: boolean;
}

/** wg-quick's own keys, lower case, with their spelling for messages. */
export const QUICK_KEYS: ReadonlyMap<string, string> = new Map(
  ["Address", "MTU", "DNS", "Table", "PreUp", "PreDown", "PostUp", "PostDown", "SaveConfig"].map(
    (k) => [asciiLower(k), k],
  ),
);

/** Reads `text` into sections, as wg-quick and `wg setconf` together read it. */
export function readLines(text: string): ConfLines {
  const bom = text.startsWith("\ufeff");
  // NOTE: bash's `read` drops NUL bytes, so wg never sees them.
  const lines = (bom ? text.slice(1) : text).replaceAll("\0", "").split("\n");
  const sections: Section[] = [{ kind: "none", line: 0, header: "", entries: [] }];
  const quick: QuickEntry[] = [];
  let quickInterface = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const stripped = raw.split("#")[0] ?? "";
    const eq = stripped.indexOf("=");
    const quickKey = trim(eq < 0 ? stripped : stripped.slice(0, eq));
    // "[Interface]" is the longest name of interest: a megabyte line is not lowered whole.
    const lowerQuick = quickKey.length <= 11 ? asciiLower(quickKey) : "";
    if (quickKey.startsWith("[")) quickInterface = lowerQuick === "[interface]";
    if (quickInterface && QUICK_KEYS.has(lowerQuick)) {
      quick.push({
        line,
        key: lowerQuick,
        value: trim(eq < 0 ? stripped : stripped.slice(eq + 1)),
      });
      return;
    }
    const clean = stripped.replace(WG_SPACE, "");
    if (clean === "") return;
    if (clean.startsWith("[")) {
      const lower = clean.length <= 11 ? asciiLower(clean) : "";
      const kind = lower === "[interface]" ? "interface" : lower === "[peer]" ? "peer" : "unknown";
      sections.push({ kind, line, header: trim(stripped), entries: [] });
      return;
    }
    const at = clean.indexOf("=");
    const key = at < 0 ? undefined : asciiLower(clean.slice(0, at));
    const entry = {
      line,
      text: clean,
      raw: trim(stripped),
      key,
      value: clean.slice(at + 1),
      quickKey,
    };
    sections.at(-1)?.entries.push(entry);
  });
  return { sections, quick, bom };
}

/** Lower case for ASCII letters only, as C's strcasecmp and bash's nocasematch in LC_ALL=C. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

// --- internal ---

// NOTE: exactly C's isspace in the C locale; JavaScript's \s would also take U+FEFF and U+00A0,
// which `wg` keeps as part of the line.
const WG_SPACE = /[ \t\n\v\f\r]/g;

function trim(text: string): string {
  return text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
}
