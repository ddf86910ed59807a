// What is wrong with one line that reaches `wg`, in words an operator can act on. Input is shown
// only through echo(), and never from a line that may hold a private or preshared key.

import { parseEndpointValue } from "../common/endpoint-parse.js";
import { echo, echoInput } from "../common/redact.js";
import type { ServiceLookup } from "../common/services.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import { asciiLower, type Entry, QUICK_KEYS } from "./conf-lines.js";
import { badAllowedIp, glibcPort, isFwMark, isKeepalive } from "./wg-values.js";

/** The section kinds whose lines `wg` reads one by one. */
export type LineSection = "none" | "interface" | "peer";

/** What is wrong with `entry` in a section of `kind`, or undefined when `wg` accepts it. */
export function entryProblem(
  entry: Entry,
  kind: LineSection,
  holdsSecret: boolean,
  services: ServiceLookup,
): string | undefined {
  const { key } = entry;
  if (key === undefined || key === "") {
    return holdsSecret ? HIDDEN : `expected "Key = Value", got "${echoInput(entry.raw)}"`;
  }
  const name = WG_KEYS.get(key) ?? QUICK_KEYS.get(key) ?? AMNEZIA_KEYS.get(key);
  const home = QUICK_KEYS.has(key) ? "interface" : HOME.get(key);
  if (name === undefined) {
    return holdsSecret ? HIDDEN : `unknown key "${echoInput(entry.quickKey)}"`;
  }
  if (home === undefined) return `${name} is an AmneziaWG key, which wg does not know`;
  if (kind === "none") return `${name} comes before any section`;
  if (home !== kind) return `${name} belongs in ${HEADER[home]}, not ${HEADER[kind]}`;
  if (QUICK_KEYS.has(key)) return quickProblem(name, entry);
  return entry.value === "" ? `${name} has no value` : valueProblem(name, entry.value, services);
}

/** True when the section holds a line that may carry a private or preshared key. */
export function holdsSecret(entries: readonly Entry[]): boolean {
  return entries.some((e) => e.key === "privatekey" || e.key === "presharedkey");
}

// --- internal ---

const HIDDEN =
  "a line wg does not understand (not shown: this section holds a private or preshared key)";

const WG_KEYS: ReadonlyMap<string, string> = names([
  "PrivateKey",
  "ListenPort",
  "FwMark",
  "PublicKey",
  "PresharedKey",
  "Endpoint",
  "AllowedIPs",
  "PersistentKeepalive",
]);

// The first three keys above belong in [Interface], the others in [Peer].
const HOME: ReadonlyMap<string, "interface" | "peer"> = new Map(
  [...WG_KEYS.keys()].map((k, i) => [k, i < 3 ? "interface" : "peer"]),
);

const HEADER = { interface: "[Interface]", peer: "[Peer]" } as const;

const AMNEZIA_KEYS: ReadonlyMap<string, string> = names(
  "Jc Jmin Jmax S1 S2 S3 S4 H1 H2 H3 H4 I1 I2 I3 I4 I5 J1 J2 J3 Itime".split(" "),
);

function names(list: readonly string[]): ReadonlyMap<string, string> {
  return new Map(list.map((n) => [asciiLower(n), n]));
}

function valueProblem(name: string, value: string, services: ServiceLookup): string | undefined {
  switch (name) {
    case "PrivateKey":
    case "PresharedKey":
    case "PublicKey":
      return isWireGuardKey(value)
        ? undefined
        : `${name} is not a 44-character base64 WireGuard key (it has ${value.length} characters; not shown)`;
    case "ListenPort":
      return glibcPort(value, services) === undefined
        ? `ListenPort "${echo(value)}": expected a port number or a UDP service name`
        : undefined;
    case "FwMark":
      return isFwMark(value) ? undefined : `FwMark "${echo(value)}": expected off or 0-0xffffffff`;
    case "PersistentKeepalive":
      return isKeepalive(value)
        ? undefined
        : `PersistentKeepalive "${echo(value)}": expected off or 0-65535 seconds`;
    case "AllowedIPs": {
      const bad = badAllowedIp(value);
      return bad === undefined
        ? undefined
        : `AllowedIPs "${echo(bad)}": expected an IP address or ADDRESS/PREFIX`;
    }
    case "Endpoint": {
      const parsed = parseEndpointValue(value, services);
      return typeof parsed === "string" ? `Endpoint "${echo(value)}": ${parsed}` : undefined;
    }
    default:
      return undefined;
  }
}

// A wg-quick key that wg-quick did not take for itself reaches `wg`, which rejects it.
function quickProblem(name: string, entry: Entry): string {
  if (/[ \t\v\f\r]/.test(entry.quickKey)) {
    return `"${echoInput(entry.quickKey)}": wg-quick reads ${name} only when written without spaces, so wg gets it and rejects it`;
  }
  return `${name}: wg-quick reads its keys only after a header written exactly "[Interface]", so wg gets it and rejects it`;
}
