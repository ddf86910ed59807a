import { readFile } from "node:fs/promises";

/** The tool's version, from its package.json (for --version and `wgem_build_info`). */
export async function toolVersion(): Promise<string> {
  cached ??= findVersion();
  return cached;
}

// --- internal ---

let cached: Promise<string> | undefined;

async function findVersion(): Promise<string> {
  // Found by walking up: this file is in dist/src/common/ when compiled and dist/bin/ when bundled.
  for (let up = 1; up <= 4; up++) {
    const file = new URL(`${"../".repeat(up)}package.json`, import.meta.url);
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) return (JSON.parse(text) as { version: string }).version;
  }
  return "unknown";
}
