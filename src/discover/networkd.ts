import { INTERFACE_NAME_RULE, isInterfaceName } from "../common/interface-name.js";
import { echo } from "../common/redact.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import type { InterfaceConfig, Peer, Problem } from "../model.js";
import { parseManagerEndpoint } from "./manager-endpoint.js";
import { readUnitSyntax, type UnitSection } from "./unit-syntax.js";

/** What one `.netdev` file or drop-in says: the [NetDev] keys and its [WireGuardPeer] sections. */
export interface NetdevPart {
  readonly file: string;
  readonly name?: string;
  readonly nameLine?: number;
  readonly kind?: string;
  /** Peers without their interface, which only the merged file knows. */
  readonly peers: readonly Omit<Peer, "iface">[];
  readonly problems: readonly Problem[];
}

/**
 * Reads one `.netdev` file (or a drop-in) as systemd-networkd does (systemd.netdev(5)): each
 * [WireGuardPeer] section is its own peer, the last assignment of a key wins, keys are never read
 * from PrivateKeyFile=/PresharedKeyFile= and no key value ever appears in a message.
 */
export function parseNetdev(text: string, file: string): NetdevPart {
  const read = readUnitSyntax(text);
  const problems: Problem[] = read.problems.map((p) => warning(file, p.line, p.message));
  let name: { value: string; line: number } | undefined;
  let kind: string | undefined;
  const peers: Omit<Peer, "iface">[] = [];
  for (const section of read.sections) {
    if (section.name === "NetDev") {
      for (const e of section.entries) {
        if (e.key === "Name") name = checkedName(e, file, problems);
        if (e.key === "Kind") kind = e.value;
      }
    } else if (section.name === "WireGuardPeer") {
      const peer = readPeer(section, file, problems);
      if (peer !== undefined) peers.push(peer);
    } else if (KNOWN_LOWER.has(section.name.toLowerCase()) && !KNOWN.has(section.name)) {
      const message = `[${echo(section.name)}]: networkd's section names are case-sensitive, so it ignores this section`;
      problems.push(warning(file, section.line, message));
    }
  }
  const secrets = new Set(
    read.sections.flatMap((s) =>
      s.entries.filter((e) => SECRET_KEYS.has(`${s.name}.${e.key}`)).map((e) => e.value),
    ),
  );
  const kept = peers.filter((p) => !secrets.has(p.publicKey));
  for (const p of peers.filter((q) => secrets.has(q.publicKey)))
    problems.push(warning(file, p.at.line ?? 1, SECRET_AS_PUBLIC));
  return {
    file,
    ...(name ? { name: name.value, nameLine: name.line } : {}),
    ...(kind === undefined ? {} : { kind }),
    peers: kept,
    problems,
  };
}

/**
 * The interface a main `.netdev` file and its drop-ins (in the order networkd merges them)
 * describe, or undefined when it is not a WireGuard device. A [WireGuardPeer] in a drop-in is a
 * further peer; it cannot amend one of the main file. Two sections with one key are ambiguous
 * (networkd's outcome depends on its list order): the first is kept and the rest reported.
 */
export function netdevInterface(
  parts: readonly NetdevPart[],
): (InterfaceConfig & { readonly nameLine: number }) | undefined {
  const main = parts[0];
  if (main === undefined) return undefined;
  const last = <K extends "name" | "kind">(key: K) =>
    parts
      .map((p) => p[key])
      .filter(isSet)
      .at(-1);
  const iface = last("name");
  if (last("kind") !== "wireguard" || iface === undefined) return undefined;
  const nameLine = parts.filter((p) => p.name !== undefined).at(-1)?.nameLine ?? 1;
  const problems: Problem[] = parts.flatMap((p) => p.problems.map((q) => ({ ...q, iface })));
  const peers: Peer[] = [];
  for (const part of parts) {
    for (const peer of part.peers) {
      const first = peers.find((p) => p.publicKey === peer.publicKey);
      if (first === undefined) {
        peers.push({ ...peer, iface });
        continue;
      }
      const message = `a second [WireGuardPeer] with this PublicKey (first at ${first.at.file}:${first.at.line}): networkd's pick between them is not defined; only the first is managed`;
      problems.push({ ...warning(peer.at.file, peer.at.line ?? 1, message), iface });
    }
  }
  return { iface, file: main.file, nameLine, saveConfig: false, peers, problems };
}

// --- internal ---

const SECRET_KEYS = new Set(["WireGuard.PrivateKey", "WireGuardPeer.PresharedKey"]);
const SECRET_AS_PUBLIC =
  "PublicKey is a private or preshared key of this file: use the peer's public key; peer skipped";

const KNOWN = new Set(["NetDev", "WireGuard", "WireGuardPeer", "Match"]);
const KNOWN_LOWER = new Set([...KNOWN].map((s) => s.toLowerCase()));

function isSet(value: string | undefined): value is string {
  return value !== undefined;
}

function readPeer(
  section: UnitSection,
  file: string,
  problems: Problem[],
): Omit<Peer, "iface"> | undefined {
  let publicKey: string | undefined;
  let endpoint: Peer["endpoint"];
  let skip: string | undefined;
  let allowedIps: string[] = [];
  for (const e of section.entries) {
    if (e.key === "PublicKey") {
      if (isWireGuardKey(e.value)) publicKey = e.value;
      // The value is not shown: a private key pasted here by mistake must not reach a log.
      else problems.push(warning(file, e.line, "PublicKey: not a WireGuard key; ignored"));
    } else if (e.key === "PublicKeyFile") {
      skip = "the key is in PublicKeyFile=, which this tool does not read";
    } else if (e.key === "Endpoint") {
      if (e.value.startsWith("@")) {
        skip = "its Endpoint comes from a credential (@name), which this tool cannot read";
        continue;
      }
      const parsed = e.value === "" ? undefined : parseManagerEndpoint(e.value);
      if (typeof parsed === "string")
        problems.push(warning(file, e.line, `Endpoint: ${parsed}; ignored, as networkd does`));
      else endpoint = parsed;
    } else if (e.key === "AllowedIPs") {
      allowedIps =
        e.value === "" ? [] : [...allowedIps, ...e.value.split(/[\s,]+/).filter(Boolean)];
    }
  }
  if (publicKey === undefined) {
    const message = "[WireGuardPeer] without a valid PublicKey=; networkd drops it";
    problems.push(warning(file, section.line, message));
    return undefined;
  }
  if (skip !== undefined) {
    problems.push({ ...warning(file, section.line, `peer left alone: ${skip}`), peer: publicKey });
    return undefined;
  }
  return { publicKey, endpoint, allowedIps, at: { file, line: section.line } };
}

// The name reaches paths (/sys/class/net/NAME), argv (wg, networkctl) and log lines.
function checkedName(
  e: { readonly value: string; readonly line: number },
  file: string,
  problems: Problem[],
): { value: string; line: number } | undefined {
  if (isInterfaceName(e.value)) return { value: e.value, line: e.line };
  const message = `Name=${echo(e.value)}: not a valid interface name (${INTERFACE_NAME_RULE}); file skipped`;
  problems.push({ ...warning(file, e.line, message), severity: "error" });
  return undefined;
}

function warning(file: string, line: number, message: string): Problem {
  return { severity: "warning", kind: "config", message, at: { file, line } };
}
