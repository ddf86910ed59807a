import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Settings } from "../settings/schema.js";

/**
 * The folders to watch for systemd-networkd's and NetworkManager's files: each folder of the
 * sources turned on that exists now, and networkd's `NAME.netdev.d` drop-in folders in them. A
 * folder created later is read by the next full pass, which reads the managers' files again.
 */
export async function managerWatchPaths(settings: Settings): Promise<string[]> {
  const { sources } = settings;
  const dirs = [
    ...(sources.networkd ? sources.networkdDirs : []),
    ...(sources.networkManager ? sources.networkManagerDirs : []),
  ];
  const paths: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    paths.push(dir, ...names.filter((n) => n.endsWith(".netdev.d")).map((n) => join(dir, n)));
  }
  return paths;
}
