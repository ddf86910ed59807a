import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { type InterfaceFilter, selects } from "../common/interface-filter.js";
import { INTERFACE_NAME_RULE, isInterfaceName } from "../common/interface-name.js";
import { MAX_CONF_BYTES, readRegularFile } from "../common/read-regular.js";
import { stripControls } from "../common/redact.js";
import { systemServices } from "../common/services.js";
import type { InterfaceConfig, Problem } from "../model.js";
import { parseConf } from "./parse-conf.js";

/** The result of reading the config folder: parsed interfaces and folder-level problems. */
export interface Discovery {
  readonly interfaces: readonly InterfaceConfig[];
  readonly problems: readonly Problem[];
}

/** Reads every `*.conf` in `dir`; one unreadable file never stops the others. */
export async function discover(dir: string, filter: InterfaceFilter): Promise<Discovery> {
  const read = await readConfFolder(dir, filter);
  const problems: Problem[] = read.folder === undefined ? [] : [read.folder];
  if (!read.listed) return { interfaces: [], problems };
  for (const name of filter.include) {
    if (!read.names.includes(`${name}.conf`)) {
      const file = join(dir, `${name}.conf`);
      problems.push(
        environment(`interface ${name} (--interface or the interfaces setting): no ${file}`),
      );
    }
  }
  return { interfaces: read.interfaces, problems: [...problems, ...read.problems] };
}

/** What reading the wg-quick folder gave: the folder's own trouble is kept apart from the files'. */
export interface ConfFolder extends Discovery {
  /** The folder is missing, unreadable or holds no `*.conf`. */
  readonly folder: Problem | undefined;
  /** Every `*.conf` file name in the folder, whatever the filter. */
  readonly names: readonly string[];
  /** Whether the folder could be listed at all. */
  readonly listed: boolean;
}

/** Reads the `*.conf` files of `dir` that the filter selects. */
export async function readConfFolder(dir: string, filter: InterfaceFilter): Promise<ConfFolder> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".conf")).sort();
  } catch (error) {
    return {
      interfaces: [],
      problems: [],
      folder: folderProblem(dir, error),
      names: [],
      listed: false,
    };
  }
  const wanted = names.filter((n) => selects(filter, basename(n, ".conf")));
  const folder =
    names.length === 0
      ? environment(
          `no *.conf files in ${dir}; put WireGuard configs there or pass --config-dir DIR`,
        )
      : undefined;
  const read = await Promise.all(wanted.map((n) => readInterfaceFile(join(dir, n))));
  const interfaces = read.filter((r): r is InterfaceConfig => "peers" in r);
  const problems = read.filter((r): r is Problem => !("peers" in r));
  return { interfaces, problems, folder, names, listed: true };
}

/** The interface name wg-quick derives from a config file name, if it is a valid one. */
export function interfaceName(file: string): string | undefined {
  const name = basename(file, ".conf");
  return isInterfaceName(name) ? name : undefined;
}

/** Reads and parses one config file, or says why it cannot; never blocks on a FIFO or a device. */
export async function readInterfaceFile(file: string): Promise<InterfaceConfig | Problem> {
  const iface = interfaceName(file);
  if (iface === undefined) {
    const message = `not a valid interface name (${INTERFACE_NAME_RULE}); file skipped`;
    return { severity: "error", kind: "config", message, at: { file: stripControls(file) } };
  }
  try {
    const read = await readRegularFile(file, MAX_CONF_BYTES);
    if ("skipped" in read)
      return {
        severity: "warning",
        kind: "config",
        message: `${read.skipped}; file skipped`,
        at: { file: stripControls(file) },
      };
    return parseConf(read.text, file, iface, { services: systemServices() });
  } catch (error) {
    const message = `cannot read: ${reason(error)}; file skipped`;
    return { severity: "error", kind: "config", message, at: { file } };
  }
}

// --- internal ---

function folderProblem(dir: string, error: unknown): Problem {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT")
    return environment(`${dir} does not exist; install wireguard-tools or pass --config-dir DIR`);
  if (code === "EACCES") return environment(`cannot read ${dir}: permission denied; run as root`);
  return environment(`cannot read ${dir}: ${reason(error)}`);
}

function environment(message: string): Problem {
  return { severity: "error", kind: "environment", message };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
