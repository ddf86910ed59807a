import { dirname } from "node:path";
import { replaceFile } from "../common/atomic-file.js";
import { toolVersion } from "../common/version.js";
import type { Problem } from "../model.js";
import type { State } from "../state/shape.js";
import type { MetricsInput } from "./metrics.js";
import { checkMetricsFolder } from "./metrics-folder.js";

/**
 * Writes `metrics.textfile` after a pass, when it is set. A failure is a warning, not an error:
 * the tunnels are fine, and the metrics' own age tells monitoring that they stopped.
 */
export async function exportMetrics(
  textfile: string | undefined,
  state: State,
  lastPass: NonNullable<MetricsInput["lastPass"]>,
  mode = 0o644,
): Promise<Problem[]> {
  if (textfile === undefined) return [];
  // Loaded only here: a cron run without metrics never parses prom-client.
  const { renderMetrics } = await import("./metrics.js");
  try {
    const text = await renderMetrics({ state, lastPass, version: await toolVersion() });
    await writeMetricsFile(textfile, text, mode);
    return [];
  } catch (error) {
    return [{ severity: "warning", kind: "environment", message: (error as Error).message }];
  }
}

/**
 * Writes the metrics file for node_exporter's textfile collector atomically: a new file under a
 * random dot name in the same folder (O_EXCL | O_NOFOLLOW: a planted file or link is never
 * written through; mode `mode`, 0644 by default: node_exporter runs as another user), then a
 * rename over `path`, in a folder only root can write (metrics-folder.ts). Throws an Error whose
 * message names the file and says what to do.
 */
export async function writeMetricsFile(path: string, text: string, mode = 0o644): Promise<void> {
  // A dot name that does not end in .prom: the collector never reads a half-written file.
  // No fsync: the file is rewritten every pass, and a stale one after a crash is harmless.
  await checkMetricsFolder(dirname(path))
    .then(() => replaceFile(path, text, { mode, sync: false }))
    .catch((error: unknown) => {
      throw new Error(`${path}: cannot write the metrics: ${why(error, dirname(path))}`);
    });
}

// --- internal ---

function why(error: unknown, dir: string): string {
  if (error instanceof Error && !("code" in error)) return error.message;
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return `the folder ${dir} does not exist; create it or change metrics.textfile`;
    case "EACCES":
    case "EPERM":
      return `permission denied in ${dir}`;
    case "ENOSPC":
      return "no space left on device";
    case "EROFS":
      return `read-only file system; add ${dir} to the unit's ReadWritePaths`;
    case "EISDIR":
      return "it is a folder";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
