// The GLib key file format (GKeyFile), which NetworkManager's keyfiles use: `#` starts a comment
// line, `[group]` names may hold any printable character but `[` and `]` (NetworkManager uses
// dots in them), `key=value` with whitespace around `=` dropped, escapes \s \n \t \r \\ in
// values, lists separated by `;` (with `\;` for a literal one). A repeated group is merged into
// the first; a repeated key keeps the last value.

/** One group of a key file: its keys (last value wins), with the line each was set on. */
export interface KeyGroup {
  readonly name: string;
  readonly line: number;
  readonly keys: Map<string, { readonly raw: string; readonly line: number }>;
}

/** A key file's groups by name, or where and why GLib would refuse the whole file. */
export type KeyFileRead =
  | { readonly groups: ReadonlyMap<string, KeyGroup> }
  | { readonly line: number; readonly error: string };

/** Reads a key file as g_key_file_load_from_data() does; never echoes a value. */
export function readKeyFile(text: string): KeyFileRead {
  const groups = new Map<string, KeyGroup>();
  let current: KeyGroup | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/\r$/, "").replace(/^[ \t\n\v\f\r]+/, "");
    const number = i + 1;
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      const close = line.indexOf("]");
      const name = line.slice(1, close);
      if (close < 0 || /[[\]\p{Cc}]/u.test(name) || name === "")
        return { line: number, error: "not a valid [group] header" };
      current = groups.get(name) ?? { name, line: number, keys: new Map() };
      groups.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0)
      return { line: number, error: "neither a key=value pair, a [group] nor a comment" };
    if (current === undefined) return { line: number, error: "a key before the first [group]" };
    const key = line.slice(0, eq).replace(/[ \t\n\v\f\r]+$/, "");
    current.keys.set(key, { raw: line.slice(eq + 1).replace(/^[ \t\n\v\f\r]+/, ""), line: number });
  }
  return { groups };
}

/** A string value with its escapes undone, or undefined when an escape is invalid. */
export function keyString(
  raw: string,
  escapes: Readonly<Record<string, string>> = ESCAPES,
): string | undefined {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = raw[++i];
    const mapped = next === undefined ? undefined : escapes[next];
    if (mapped === undefined) return undefined;
    out += mapped;
  }
  return out;
}

/** A `;` list (a trailing `;` is usual), each item unescaped; undefined when an escape is invalid. */
export function keyList(raw: string): string[] | undefined {
  const items: string[] = [];
  let item = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? "";
    if (c === "\\") {
      item += c + (raw[i + 1] ?? "");
      i++;
    } else if (c === ";") {
      items.push(item);
      item = "";
    } else item += c;
  }
  if (item !== "") items.push(item);
  const unescaped = items.map((s) => keyString(s, LIST_ESCAPES));
  return unescaped.every((s): s is string => s !== undefined) ? unescaped : undefined;
}

// --- internal ---

const ESCAPES: Readonly<Record<string, string>> = {
  s: " ",
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
};

const LIST_ESCAPES: Readonly<Record<string, string>> = { ...ESCAPES, ";": ";" };
