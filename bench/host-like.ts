/**
 * The benchmark's client namespace made like a host that was set up by hand: no settings file
 * (the lab writes one for its tests), so the state folder is the default one, on disk. The
 * default folder is the host's own (network namespaces share the file system): the benchmark
 * refuses to start when it exists, and removes it at the end.
 */
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULTS } from "../src/settings/schema.js";
import type { Lab } from "../test/e2e/lab/index.js";

/** Where the tool keeps its state when no settings file says otherwise. */
export const DEFAULT_STATE_DIR = DEFAULTS.stateDir;

/** Why the benchmark cannot use the default state folder, if it cannot. */
export async function defaultStateDirTaken(): Promise<string | undefined> {
  const found = await stat(DEFAULT_STATE_DIR).catch(() => undefined);
  if (found === undefined) return undefined;
  return `${DEFAULT_STATE_DIR} exists: the no-op pass runs with the default state folder, as a host does; move it away first`;
}

/** Removes the lab's settings file; returns the step that removes the default state folder. */
export async function withoutSettings(lab: Lab): Promise<() => Promise<void>> {
  await rm(join(lab.names.clientEtc, "wg-endpoint-manager", "config.json"), { force: true });
  return () => rm(DEFAULT_STATE_DIR, { recursive: true, force: true });
}
