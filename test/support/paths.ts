import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this compiled file (dist/test/support/paths.js). */
export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A file under fixtures/. */
export function fixture(...parts: string[]): string {
  return join(repoRoot, "fixtures", ...parts);
}

function findRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 10 && !existsSync(join(dir, "package.json")); i++) dir = dirname(dir);
  return dir;
}
