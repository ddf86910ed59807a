import type { Settings } from "../settings/schema.js";
import type { Args } from "./args.js";

/** Settings with the command line's flags laid over them. */
export function withFlags(settings: Settings, args: Args): Settings {
  return {
    ...settings,
    ...(args.configDir !== undefined ? { configDir: args.configDir } : {}),
    ...(args.stateDir !== undefined ? { stateDir: args.stateDir } : {}),
    ...(args.family !== undefined ? { family: args.family } : {}),
    interfaces: args.interfaces.length > 0 ? args.interfaces : settings.interfaces,
    exclude: [...settings.exclude, ...args.exclude],
  };
}
