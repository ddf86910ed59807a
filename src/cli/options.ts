/**
 * The command line's commands and options: what parseArgs reads (args.ts), and what the shell
 * completions offer (scripts/completion/, generated from this table). Keep in step with HELP.
 */

/** What an option's value is, for completion: a folder, a file, an interface name, or a list. */
export type OptionValue = "folder" | "file" | "interface" | "text" | readonly string[];

/** One option: parseArgs' fields, plus its value and a few words for the shells' menus. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  readonly value?: OptionValue;
  /** A few words for the shells' menus (no ":" or "'", which zsh and fish would read). */
  readonly help: string;
}

/** The commands, in the order --help lists them, each with a few words. */
export const COMMANDS = {
  run: "one reconcile pass, then exit (the default)",
  watch: "the service: reconcile continuously",
  status: "a table of the managed peers",
} as const;

/** The values --family takes. */
export const FAMILIES = ["auto", "ipv4", "ipv6"] as const;

/** The values --log-format takes. */
export const LOG_FORMATS = ["text", "json"] as const;

/** Every option, by its long name. */
export const OPTIONS = {
  "config-dir": { type: "string", value: "folder", help: "where the WireGuard configs are" },
  config: { type: "string", value: "file", help: "settings file, JSON or YAML" },
  "state-dir": { type: "string", value: "folder", help: "where state and the lock live" },
  interface: {
    type: "string",
    short: "i",
    multiple: true,
    value: "interface",
    help: "only this interface",
  },
  exclude: {
    type: "string",
    short: "x",
    multiple: true,
    value: "interface",
    help: "skip this interface",
  },
  family: { type: "string", value: FAMILIES, help: "preferred address family" },
  "dry-run": { type: "boolean", short: "n", help: "decide and print, change nothing" },
  dryrun: { type: "boolean", help: "the same as --dry-run" },
  verbose: { type: "boolean", short: "v", help: "the whole reasoning for every peer" },
  quiet: { type: "boolean", short: "q", help: "errors only" },
  json: { type: "boolean", help: "machine-readable output (run, status)" },
  check: { type: "boolean", help: "a Nagios/Icinga check (status)" },
  "log-format": { type: "string", value: LOG_FORMATS, help: "text or json lines (watch)" },
  peer: { type: "string", value: "text", help: "public key of the single peer" },
  host: { type: "string", value: "text", help: "hostname of the single peer" },
  port: { type: "string", value: "text", help: "port of the single peer" },
  help: { type: "boolean", short: "h", help: "the help text" },
  version: { type: "boolean", help: "the version" },
} as const satisfies Readonly<Record<string, OptionSpec>>;
