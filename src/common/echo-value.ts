import { redactKeys } from "./redact.js";

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

const MAX = 60;

// JSON escapes C0 controls; DEL and C1 (0x9b is a one-byte CSI to some terminals) are escaped too.
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function shorten(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}
