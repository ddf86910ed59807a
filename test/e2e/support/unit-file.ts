/**
 * contrib/wg-endpoint-manager.service read back, so the e2e test runs what systemd would run: the
 * unit's ExecStart (notify-fd, then the tool) under the unit's capability set, through setpriv(1).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, TOOL_BIN } from "../lab/index.js";

/** The unit file the package installs. */
export const UNIT_FILE = join(REPO_ROOT, "contrib", "wg-endpoint-manager.service");

/** Where the package puts the tool (the unit's ExecStart names it). */
export const PACKAGED_BIN = "/usr/bin/wg-endpoint-manager";

/** Where the package puts contrib/notify-fd, which the unit's ExecStart runs the tool through. */
export const PACKAGED_NOTIFY_FD = "/usr/lib/wg-endpoint-manager/notify-fd";

/** The [Service] settings that decide what the process may do. */
export interface ServiceExec {
  /** ExecStart, split on spaces. */
  readonly execStart: readonly string[];
  /** CapabilityBoundingSet, lower case without CAP_ (setpriv's spelling): ["net_admin", ...]. */
  readonly bounding: readonly string[];
  readonly ambient: readonly string[];
  readonly noNewPrivileges: boolean;
  /** Type=, NotifyAccess= and WatchdogSec= as written ("" when absent). */
  readonly type: string;
  readonly notifyAccess: string;
  readonly watchdogSec: string;
}

/** Reads the [Service] section of `file` (the last assignment of a key wins, as in systemd). */
export async function readServiceExec(file = UNIT_FILE): Promise<ServiceExec> {
  const service = serviceSection(await readFile(file, "utf8"));
  const caps = (key: string) =>
    (service.get(key) ?? "")
      .split(/\s+/)
      .filter((c) => c !== "")
      .map((c) => c.replace(/^CAP_/, "").toLowerCase());
  const execStart = (service.get("ExecStart") ?? "").split(/\s+/).filter((w) => w !== "");
  if (execStart.length === 0) throw new Error(`${file}: no ExecStart`);
  return {
    execStart,
    bounding: caps("CapabilityBoundingSet"),
    ambient: caps("AmbientCapabilities"),
    noNewPrivileges: service.get("NoNewPrivileges") === "yes",
    type: service.get("Type") ?? "",
    notifyAccess: service.get("NotifyAccess") ?? "",
    watchdogSec: service.get("WatchdogSec") ?? "",
  };
}

/**
 * `setpriv ... env VARS contrib/notify-fd node dist/bin/bin.js ARGS`: the unit's ExecStart with
 * the packaged paths replaced by the files they are made from, as root with only the unit's
 * capabilities, systemd's clean environment plus `env` (what systemd would add: NOTIFY_SOCKET,
 * WATCHDOG_USEC) and `minus` dropped from the bounding set too.
 */
export function setprivArgv(
  exec: ServiceExec,
  minus: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): string[] {
  const [shim, program, ...args] = exec.execStart;
  if (shim !== PACKAGED_NOTIFY_FD)
    throw new Error(`ExecStart runs ${shim}, not ${PACKAGED_NOTIFY_FD}`);
  if (program !== PACKAGED_BIN) throw new Error(`ExecStart runs ${program}, not ${PACKAGED_BIN}`);
  const vars = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  const keep = exec.bounding.filter((c) => !minus.includes(c));
  const ambient = exec.ambient.filter((c) => keep.includes(c));
  const list = (caps: readonly string[]) => ["-all", ...caps.map((c) => `+${c}`)].join(",");
  return [
    "setpriv",
    "--reset-env",
    `--bounding-set=${list(keep)}`,
    `--inh-caps=${list(ambient)}`,
    `--ambient-caps=${list(ambient)}`,
    ...(exec.noNewPrivileges ? ["--no-new-privs"] : []),
    ...(vars.length > 0 ? ["env", ...vars] : []),
    join(REPO_ROOT, "contrib", "notify-fd"),
    process.execPath,
    TOOL_BIN,
    ...args,
  ];
}

/** The capability mask (as in /proc/PID/status) of setpriv's capability names. */
export function capMask(caps: readonly string[]): bigint {
  let mask = 0n;
  for (const c of caps) {
    const bit = CAP_BITS[c];
    if (bit === undefined) throw new Error(`unknown capability ${c}`);
    mask |= 1n << BigInt(bit);
  }
  return mask;
}

/** CapEff and CapBnd of process `pid`. */
export async function processCaps(pid: number): Promise<{ effective: bigint; bounding: bigint }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => {
    const hex = new RegExp(`^${name}:\\s*([0-9a-f]+)$`, "m").exec(status)?.[1];
    if (hex === undefined) throw new Error(`/proc/${pid}/status has no ${name}`);
    return BigInt(`0x${hex}`);
  };
  return { effective: field("CapEff"), bounding: field("CapBnd") };
}

// --- internal ---

/** The few capabilities a unit of ours may name (linux/capability.h). */
const CAP_BITS: Readonly<Record<string, number>> = {
  net_bind_service: 10,
  net_admin: 12,
  net_raw: 13,
};

function serviceSection(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) section = header[1];
    else if (section === "Service") {
      const eq = line.indexOf("=");
      if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
  }
  return values;
}
