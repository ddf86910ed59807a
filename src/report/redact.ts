// The one place that turns text read from input (config files, file names) into text fit for a
// message: no terminal control sequences, no key material, no megabyte lines.

/** The longest stretch of input one message shows; a longer one ends in "…". */
export const ECHO_MAX = 64;

/**
 * Text from input, made safe to print: control characters removed (C0, DEL, C1, and the Unicode
 * controls that reorder or break lines), every base64 run of 40 or more characters (a key, whole or
 * nearly) cut to its first 8 characters and "…", and the result cut to ECHO_MAX characters.
 */
export function echo(text: string): string {
  const redacted = redactKeys(stripControls(text));
  return redacted.length > ECHO_MAX ? `${redacted.slice(0, ECHO_MAX - 1)}…` : redacted;
}

/**
 * A line or part of a line from a config file, as written (trimmed), through echo(). When the
 * text without its whitespace holds a key-length base64 run (a key split by spaces, which `wg`
 * joins), the whitespace-free form is shown instead, so the key is cut as any other.
 */
export function echoInput(raw: string): string {
  const joined = raw.replace(/[ \t\n\v\f\r]/g, "");
  return echo(BASE64_TEST.test(stripControls(joined)) ? joined : raw.trim());
}

/** Removes C0 controls, DEL, C1 controls and Unicode format and line-separator characters. */
export function stripControls(text: string): string {
  return text.replace(CONTROLS, "");
}

/** Cuts every base64 run of 40 or more characters (with its `=` padding) to 8 characters and "…". */
export function redactKeys(text: string): string {
  return text.replace(BASE64_RUN, (run) => `${run.slice(0, 8)}…`);
}

// --- internal ---

// Cc is C0, DEL and C1. NOTE: format characters (Cf: bidi overrides, BOM, zero-width ones)
// reorder or hide what a terminal shows, and U+2028/U+2029 (Zl, Zp) break lines in some viewers.
const CONTROLS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
const BASE64_TEST = /[A-Za-z0-9+/]{40,}/;
