import { parseArgs } from "node:util";
import { INTERFACE_NAME_RULE, isInterfaceName } from "../common/interface-name.js";
import { echoValue } from "../common/redact.js";
import { UsageError } from "../common/usage-error.js";
import type { Verbosity } from "../report/log.js";
import { COMMANDS, FAMILIES, LOG_FORMATS, OPTIONS } from "./options.js";

/** The parsed command line. */
export interface Args {
  readonly command: "run" | "status" | "watch" | "help" | "version";
  readonly configDir?: string;
  readonly config?: string;
  readonly stateDir?: string;
  readonly interfaces: readonly string[];
  readonly exclude: readonly string[];
  readonly family?: "auto" | "ipv4" | "ipv6";
  readonly dryRun: boolean;
  readonly verbosity: Verbosity;
  readonly json: boolean;
  /** `status --check`: one Nagios-style line and exit code 0, 1 or 3. */
  readonly nagios: boolean;
  readonly logFormat: "text" | "json";
  /** The original script's flags: manage just this one peer. */
  readonly single?:
    | { readonly peer: string; readonly host: string; readonly port: string }
    | undefined;
}

/** Parses argv (without node and the script). Throws UsageError. */
export function parseCommandLine(argv: readonly string[]): Args {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see wg-endpoint-manager --help`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return base("help", v);
  if (v.version) return base("version", v);
  const [command = "run", ...extra] = positionals;
  if (!isCommand(command))
    throw new UsageError(`unknown command "${command}"; expected run, status or watch`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (v.quiet && v.verbose) throw new UsageError("--quiet and --verbose exclude each other");
  if (v.family !== undefined && !isOneOf(FAMILIES, v.family)) {
    throw new UsageError(`--family ${v.family}: expected auto, ipv4 or ipv6`);
  }
  if (v["log-format"] !== undefined && !isOneOf(LOG_FORMATS, v["log-format"])) {
    throw new UsageError(`--log-format ${v["log-format"]}: expected text or json`);
  }
  if (command === "watch" && v.json) {
    throw new UsageError(
      "watch has no --json; for one JSON object per line, use --log-format json",
    );
  }
  if (v.check && command !== "status") throw new UsageError("--check goes with status only");
  if (v.check && v.json) throw new UsageError("--check and --json exclude each other");
  validateNames("--interface", v.interface);
  validateNames("--exclude", v.exclude);
  return { ...base(command, v), single: single(v) };
}

// --- internal ---

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    // parseArgs reads type, short and multiple; value and help are for the shell completions.
    options: OPTIONS,
  });
}

type Values = ReturnType<typeof parse>["values"];

function base(command: Args["command"], v: Values): Args {
  return {
    command,
    ...(v["config-dir"] !== undefined ? { configDir: v["config-dir"] } : {}),
    ...(v.config !== undefined ? { config: v.config } : {}),
    ...(v["state-dir"] !== undefined ? { stateDir: v["state-dir"] } : {}),
    ...(v.family !== undefined ? { family: v.family as "auto" | "ipv4" | "ipv6" } : {}),
    interfaces: v.interface ?? [],
    exclude: v.exclude ?? [],
    dryRun: v["dry-run"] === true || v.dryrun === true,
    verbosity: v.verbose ? "verbose" : v.quiet ? "quiet" : "normal",
    json: v.json === true,
    nagios: v.check === true,
    logFormat: v["log-format"] === "json" ? "json" : "text",
  };
}

function single(v: Values): Args["single"] {
  const given = [v.peer, v.host, v.port].filter((x) => x !== undefined).length;
  if (given === 0) return undefined;
  if (given < 3 || v.interface?.length !== 1) {
    throw new UsageError("--peer, --host and --port go together, with exactly one --interface");
  }
  return { peer: v.peer as string, host: v.host as string, port: v.port as string };
}

// NOTE: a name is passed to `wg show NAME dump` and names wireguard-go's socket file: "-h" would
// be read as a flag, "../x" would leave the socket folder.
function validateNames(flag: string, names: readonly string[] | undefined): void {
  for (const name of names ?? []) {
    if (!isInterfaceName(name))
      throw new UsageError(
        `${flag} ${echoValue(name)}: not an interface name (${INTERFACE_NAME_RULE})`,
      );
  }
}

function isCommand(c: string): c is keyof typeof COMMANDS {
  return Object.hasOwn(COMMANDS, c);
}

function isOneOf<T extends string>(options: readonly T[], value: string): value is T {
  return (options as readonly string[]).includes(value);
}
