import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { formatOf, parseSettingsText } from "./parse.js";
import { readTrustedFile } from "./read-file.js";
import { DEFAULTS, type Settings } from "./schema.js";
import { SettingsError, validateSettings } from "./validate.js";

/** Where settings live when `--config` is not given. */
export const SYSTEM_DIR = "/etc/wg-endpoint-manager";

/** Where settings were found, if anywhere, and what they say. */
export interface LoadedSettings {
  readonly settings: Settings;
  readonly file: string | undefined;
}

/**
 * Loads settings from `--config FILE` if given, else from `config.json`, `config.yaml` or
 * `config.yml` in the system folder, else the defaults. Nothing else is looked at: not the working
 * folder (root runs there from cron and sudo), no scripts, no includes. The files are data, read
 * only if root owns them and nobody else can write them (see readTrustedFile).
 */
export async function loadSettings(
  explicit: string | undefined,
  systemDir = SYSTEM_DIR,
): Promise<LoadedSettings> {
  const file = explicit ?? (await systemFile(systemDir));
  if (file === undefined) return { settings: DEFAULTS, file };
  const format = formatOf(file);
  if (format === "script") throw new SettingsError(`${file}: ${NO_SCRIPTS}`);
  const raw = await parseSettingsText(await readTrustedFile(file), file, format);
  // NOTE: YAML holding only comments (or `~`) parses to null: no settings, as an empty file.
  const empty = raw === undefined || raw === null;
  return { settings: empty ? DEFAULTS : validateSettings(raw, file), file };
}

// --- internal ---

const DATA_PLACES = ["config.json", "config.yaml", "config.yml"];
const SCRIPT_PLACES = ["config.js", "config.cjs", "config.mjs", "config.ts"];
const NO_SCRIPTS =
  "settings are data (JSON or YAML), never run as code: write them as config.json or config.yaml";

// One readdir instead of a stat per name: the cron run with no settings file pays one syscall.
async function systemFile(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
  const data = DATA_PLACES.filter((n) => names.includes(n));
  if (data.length > 1)
    throw new SettingsError(`${dir}: ${data.join(" and ")} both hold settings: keep one`);
  if (data[0] !== undefined) return join(dir, data[0]);
  // A settings script (config.js and the like) would otherwise be ignored without a word.
  const script = SCRIPT_PLACES.find((n) => names.includes(n));
  if (script !== undefined) throw new SettingsError(`${join(dir, script)}: ${NO_SCRIPTS}`);
  return undefined;
}
