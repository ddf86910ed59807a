import { toolVersion } from "../common/version.js";
import { EXIT, failure } from "../pass/exit-code.js";
import { writeLine } from "../report/journal.js";
import { type Args, parseCommandLine } from "./args.js";
import { HELP } from "./help.js";
import type { Io } from "./io.js";

/** The whole program: argv in, exit code out. The one place errors become exit codes. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    return await dispatch(args, io);
  } catch (error) {
    return fail(error, io);
  }
}

// --- internal ---

async function dispatch(args: Args, io: Io): Promise<number> {
  switch (args.command) {
    case "help":
      io.stdout(HELP);
      return EXIT.ok;
    case "version":
      io.stdout(`${await toolVersion()}\n`);
      return EXIT.ok;
    case "run":
      // Loaded on demand so that each command starts with only the code it uses.
      return (await import("./run.js")).runOnce(args, io);
    case "status":
      return (await import("./status.js")).status(args, io);
    case "watch":
      return (await import("./watch.js")).watch(args, io);
  }
}

function fail(error: unknown, io: Io): number {
  const { exitCode, message } = failure(error);
  writeLine(io, "error", `wg-endpoint-manager: ${message}`);
  return exitCode;
}
