import { execFile } from "node:child_process";
import type { NetdevFiles } from "./networkd-files.js";

/** How long one `networkctl status` may take: it only asks a local daemon. */
const NETWORKCTL_TIMEOUT_MS = 2_000;

/**
 * The files networkd itself says it used for each interface (`networkctl status IFACE
 * --json=short`: NetDevFile and NetDevFileDropins, in systemd releases that report them).
 * Feature-detected: no networkctl, no running networkd, or a release without the fields gives
 * an empty map, and the caller keeps its own reading of the search path. Asked one interface at
 * a time; a missing networkctl stops the asking.
 */
export async function networkdFilesInUse(
  ifaces: readonly string[],
  bin = "networkctl",
): Promise<Map<string, NetdevFiles>> {
  const used = new Map<string, NetdevFiles>();
  for (const iface of ifaces) {
    const out = await statusJson(bin, iface);
    if (out === MISSING) break;
    if (out === undefined) continue;
    const files = parseNetworkctlStatus(out, iface);
    if (files !== undefined) used.set(iface, files);
  }
  return used;
}

/** NetDevFile and NetDevFileDropins of `iface` in `networkctl status --json` output, if there. */
export function parseNetworkctlStatus(text: string, iface: string): NetdevFiles | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const links =
    isObject(parsed) && Array.isArray(parsed["Interfaces"]) ? parsed["Interfaces"] : [parsed];
  const link = links.find((l): l is Record<string, unknown> => isObject(l) && l["Name"] === iface);
  const main = link?.["NetDevFile"];
  if (typeof main !== "string" || !main.startsWith("/")) return undefined;
  const raw = link?.["NetDevFileDropins"];
  const dropins = Array.isArray(raw)
    ? raw.filter((d): d is string => typeof d === "string" && d.startsWith("/"))
    : [];
  return { main, dropins };
}

// --- internal ---

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const MISSING = Symbol("networkctl is missing");

/** The command's stdout; MISSING when there is no such command, undefined when it fails. */
function statusJson(bin: string, iface: string): Promise<string | typeof MISSING | undefined> {
  return new Promise((resolve) => {
    execFile(
      bin,
      ["status", iface, "--json=short", "--no-pager"],
      {
        timeout: NETWORKCTL_TIMEOUT_MS,
        maxBuffer: 1024 * 1024,
        env: { ...process.env, SYSTEMD_COLORS: "0" },
      },
      (error, stdout) => {
        if (error === null) resolve(stdout);
        else resolve((error as NodeJS.ErrnoException).code === "ENOENT" ? MISSING : undefined);
      },
    );
  });
}
