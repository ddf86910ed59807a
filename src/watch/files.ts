import type { FileEvent } from "./service-deps.js";

/** Watches the config folder and the settings file with chokidar; the returned function stops it. */
export async function watchFiles(
  paths: readonly string[],
  onChange: (e: FileEvent) => void,
): Promise<() => Promise<void>> {
  // chokidar is loaded here, so the cron run never pays for it.
  const { watch: chokidar } = await import("chokidar");
  const watcher = chokidar([...paths], {
    ignoreInitial: true,
    // One level down: networkd's drop-in folders (NAME.netdev.d/*.conf), even ones made later.
    depth: 1,
    // Editors save by writing a new file and renaming it over the old one: wait for it to settle.
    atomic: true,
    awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 },
  });
  watcher.on("add", (path) => onChange({ kind: "add", path }));
  watcher.on("change", (path) => onChange({ kind: "change", path }));
  watcher.on("unlink", (path) => onChange({ kind: "unlink", path }));
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return () => watcher.close();
}
