import { cosmiconfig } from "cosmiconfig";
import { DEFAULTS, type Settings } from "./schema.js";
import { SettingsError, validateSettings } from "./validate.js";

const NAME = "wg-endpoint-manager";

/** Where settings were found, if anywhere, and what they say. */
export interface LoadedSettings {
  readonly settings: Settings;
  readonly file: string | undefined;
}

/**
 * Loads settings: `--config FILE` if given; else the usual cosmiconfig places in the working
 * directory (`.wg-endpoint-managerrc`, `wg-endpoint-manager.config.js`, a `package.json` key, ...);
 * else `config.{json,yaml,yml,js}` in the system folder (/etc/wg-endpoint-manager).
 */
export async function loadSettings(
  explicit: string | undefined,
  cwd: string,
  systemDir = `/etc/${NAME}`,
): Promise<LoadedSettings> {
  try {
    const result = explicit
      ? await cosmiconfig(NAME).load(explicit)
      : ((await cosmiconfig(NAME, { searchStrategy: "none" }).search(cwd)) ??
        (await cosmiconfig(NAME, { searchStrategy: "none", searchPlaces: SYSTEM_PLACES }).search(
          systemDir,
        )));
    if (result === null || result.isEmpty) return { settings: DEFAULTS, file: result?.filepath };
    return { settings: validateSettings(result.config, result.filepath), file: result.filepath };
  } catch (error) {
    if (error instanceof SettingsError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SettingsError(
      explicit && /ENOENT/.test(message) ? `${explicit}: no such settings file` : message,
      { cause: error },
    );
  }
}

const SYSTEM_PLACES = [
  "config.json",
  "config.yaml",
  "config.yml",
  "config.js",
  "config.cjs",
  "config.mjs",
];
