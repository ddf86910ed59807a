/**
 * The first key that an object of a JSON text repeats, with where the repeat is, or undefined.
 * JSON.parse keeps the last value of a repeated key without a word, so a setting written twice
 * would silently lose one of its values. Called only on text JSON.parse accepted, so the scan
 * need only tell strings, objects and arrays apart.
 */
export function repeatedJsonKey(
  text: string,
): { key: string; line: number; column: number } | undefined {
  // One entry per open object (its keys so far) or array (null).
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      const keys = open.at(-1);
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return { key, ...lineAndColumn(text, i) };
        keys.add(key);
      }
      expectKey = false;
      i = end;
    } else if (c === "{") {
      open.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      open.push(null);
    } else if (c === "}" || c === "]") {
      open.pop();
    } else if (c === ",") {
      expectKey = open.at(-1) instanceof Set;
    }
  }
  return undefined;
}

// --- internal ---

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i;
}

// People count lines and columns from 1.
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1) ?? "").length + 1 };
}
