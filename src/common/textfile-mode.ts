// The `metrics.textfileMode` setting: the settings check it, the textfile writer applies it.

/** Every `metrics.textfileMode` textfileModeProblem() accepts, for the settings' JSON Schema. */
export const TEXTFILE_MODES: readonly string[] = ["600", "604", "640", "644"].flatMap((m) => [
  `0${m}`,
  m,
]);

/** The file mode `metrics.textfileMode` names ("0644", "0640", "0600"), as a number. */
export function textfileMode(text: string): number {
  return Number.parseInt(text, 8);
}

/**
 * Why `text` is no `metrics.textfileMode`, or undefined: an octal mode that root can read and
 * write, with no execute bit and no write bit for group or others.
 */
export function textfileModeProblem(text: unknown): string | undefined {
  if (typeof text !== "string" || !/^0?[0-7]{3}$/.test(text)) return MODE_EXPECTED;
  const mode = textfileMode(text);
  return (mode & ~0o644) === 0 && (mode & 0o600) === 0o600 ? undefined : MODE_EXPECTED;
}

// --- internal ---

const MODE_EXPECTED =
  'an octal file mode as a string, "0644" (the default), "0640" or "0600": root reads and writes, nobody else writes';
