// The one place that turns text read from input (config files, file names, settings values,
// state entries) into text fit for a message: no terminal control sequences, no key material,
// no megabyte lines.

/** The longest stretch of input one message shows; a longer one ends in "…". */
export const ECHO_MAX = 64;

/**
 * Text from input, made safe to print: control characters (C0, DEL, C1) removed, key-like base64
 * runs (see redactKeys; even with invisible characters inside) cut to their first 8 characters and
 * "…", invisible and look-alike characters (bidi overrides,
 * zero-width ones, U+00A0) shown as `<U+XXXX>`, and the result cut to ECHO_MAX characters.
 */
export function echo(text: string): string {
  const shown = redactKeys(stripControls(bounded(text))).replace(INVISIBLE, codePoint);
  return shown.length > ECHO_MAX ? `${shown.slice(0, ECHO_MAX - 1)}…` : shown;
}

/**
 * A line or part of a line from a config file, as written (trimmed), through echo(). When the
 * text without its whitespace holds a key-length base64 run (a key split by spaces, which `wg`
 * joins), the whitespace-free form is shown instead, so the key is cut as any other.
 */
export function echoInput(raw: string): string {
  const joined = raw.replace(/[ \t\n\v\f\r]/g, "");
  const head = stripControls(bounded(joined));
  const keyInside = redactKeys(head) !== head;
  return echo(keyInside ? joined : raw.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, ""));
}

/**
 * A whole line as the program prints it (stdout, stderr, the journal): control characters removed
 * and invisible ones shown as `<U+XXXX>`, whatever part of the line came from input (an IPv6 zone
 * id, a file name, a `wg` dump). Every printed line passes through here, so a value that missed
 * echo() on its way into a message still cannot drive a terminal.
 */
export function printable(text: string): string {
  return stripControls(text).replace(INVISIBLE, codePoint);
}

/**
 * A value as `--json` prints it: JSON.stringify escapes C0 controls but not DEL and C1 (0x9b is
 * a one-byte CSI to some terminals) nor invisible characters; those are escaped here too.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu, (c) =>
    Array.from(
      { length: c.length }, // both halves of a surrogate pair
      (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`,
    ).join(""),
  );
}

/** Removes C0 controls, DEL and C1 controls: nothing from input may drive a terminal. */
export function stripControls(text: string): string {
  return text.replace(/\p{Cc}/gu, "");
}

/**
 * Cuts every base64 run of 40 or more characters (with its `=` padding) to 8 characters and "…",
 * and every run of 20 or more that mixes upper and lower case: 39 characters of a key leave 30 bits
 * to guess, and a stretch of a key that long is mixed-case but for a chance of 1 in 10,000.
 */
export function redactKeys(text: string): string {
  return text.replace(BASE64_RUN, (run) => {
    const chars = run.replace(/[^A-Za-z0-9+/]/g, "");
    const keyLike = chars.length >= 40 || (/[A-Z]/.test(chars) && /[a-z]/.test(chars));
    return keyLike ? `${chars.slice(0, 8)}…` : run;
  });
}

/**
 * The 9-character windows of text that may be secret (the values of PrivateKey and PresharedKey
 * lines, the lines hidden for holding one), for hideKnown(). Only short texts count: a key, whole
 * or wrapped, is at most 44 characters, and a megabyte of garbage must not cost a megabyte of set.
 */
export function secretWindows(texts: Iterable<string>): ReadonlySet<string> {
  const windows = new Set<string>();
  let taken = 0;
  for (const text of texts) {
    if (text.length > 128 || taken++ >= 500) continue;
    for (let i = 0; i + WINDOW <= text.length; i++) windows.add(text.slice(i, i + WINDOW));
  }
  return windows;
}

/** `text` with every base64 run that shares 9 characters with a secret replaced by "…". */
export function hideKnown(text: string, windows: ReadonlySet<string>): string {
  if (windows.size === 0) return text;
  return text.replace(/[A-Za-z0-9+/=]{9,}/g, (run) => (echoWindows(run, windows) ? "…" : run));
}

/** True when `text` shares 9 characters with one of the windows of secretWindows(). */
export function echoWindows(text: string, windows: ReadonlySet<string>): boolean {
  for (let i = 0; i + WINDOW <= text.length; i++) {
    if (windows.has(text.slice(i, i + WINDOW))) return true;
  }
  return false;
}

/**
 * Control characters (C0, DEL, C1) shown as "?", for text whose length the caller bounds: a
 * parser's reason, a state entry's key. Nothing from input may drive a terminal.
 */
export function markControls(text: string): string {
  return text.replace(/\p{Cc}/gu, "?");
}

/**
 * A value from input, made safe to echo in a message: JSON-quoted (so control characters show as
 * escapes, never raw), base64 runs of 40 or more characters cut to their first 8 (they could be
 * key material), and long text shortened. Numbers print as JavaScript writes them, so YAML's
 * `.inf` reads `Infinity`, not `null` as JSON.stringify would have it.
 */
export function echoValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return quote(shorten(redactKeys(value)));
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "an object";
  return JSON.stringify(value);
}

// --- internal ---

// More than the 8 characters a redacted run shows.
const WINDOW = 9;

// NOTE: format characters (Cf: bidi overrides, BOM, zero-width ones) reorder or hide what a
// terminal shows, U+2028/U+2029 (Zl, Zp) break lines in some viewers, and U+00A0 and the other
// non-ASCII spaces (Zs) look like a space that `wg` does not treat as one.
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]|(?! )\p{Zs}/gu;
const GAP = String.raw`(?:[\p{Cf}\p{Zl}\p{Zp}]|(?! )\p{Zs})*`;
const B64 = "[A-Za-z0-9+/]";
// 40 or more base64 characters, possibly with invisible characters between them, and padding.
const BASE64_RUN = new RegExp(`${B64}(?:${GAP}${B64}){19,}(?:${GAP}=){0,2}`, "gu");

// Only the start of a long input can be shown, so only the start is scanned (a 5 MB base64 line
// would overflow the regular expression's stack). A base64 run cut by the limit shows only its
// first 8 characters, as a whole one would: no short tail of a key survives the cut.
const SCAN_MAX = 1024;

function bounded(text: string): string {
  if (text.length <= SCAN_MAX) return text;
  let end = SCAN_MAX;
  while (end > 0 && RUN_CHAR.test(text[end - 1] ?? "")) end--;
  const cutRun = text
    .slice(end, SCAN_MAX)
    .replace(/[^A-Za-z0-9+/]/g, "")
    .slice(0, 8);
  return `${text.slice(0, end)}${cutRun}…`;
}

const RUN_CHAR = /^(?:[A-Za-z0-9+/=\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|(?! )\p{Zs})$/u;

function codePoint(c: string): string {
  return `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}>`;
}

/** The longest value echoValue() shows before "…". */
const VALUE_MAX = 60;

// JSON escapes C0 controls; DEL and C1 (0x9b is a one-byte CSI to some terminals) are escaped too.
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function shorten(text: string): string {
  return text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX)}…` : text;
}
