import { createLog } from "../report/log.js";
import { loadSettings } from "../settings/load.js";
import { serve } from "../watch/serve.js";
import type { Args } from "./args.js";
import { withFlags } from "./flags.js";
import type { Io } from "./io.js";

/** `watch`: the service. Runs until SIGINT or SIGTERM; SIGHUP reloads the settings. */
export async function watch(args: Args, io: Io): Promise<number> {
  const log = createLog(args.logFormat, args.verbosity, io);
  return serve({
    loadSettings: async () => {
      const loaded = await loadSettings(args.config);
      return { settings: withFlags(loaded.settings, args), file: loaded.file };
    },
    dryRun: args.dryRun,
    log,
  });
}
