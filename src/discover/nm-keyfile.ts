import { INTERFACE_NAME_RULE, isInterfaceName } from "../common/interface-name.js";
import { echo } from "../common/redact.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import type { InterfaceConfig, Peer, Problem } from "../model.js";
import { type KeyGroup, keyList, keyString, readKeyFile } from "./keyfile-syntax.js";
import { parseManagerEndpoint } from "./manager-endpoint.js";

/** A NetworkManager profile read from a keyfile: its identity, and the interface if WireGuard. */
export interface NmProfile {
  readonly file: string;
  readonly uuid: string | undefined;
  /** Undefined when the profile is not a WireGuard connection with an interface-name. */
  readonly config: InterfaceConfig | undefined;
  readonly problems: readonly Problem[];
}

/**
 * Reads a NetworkManager keyfile (nm-settings-keyfile(5)): `[connection] type=wireguard`, the
 * interface from `interface-name=`, one peer per `[wireguard-peer.<public key>]` group. Keys
 * (private-key=, preshared-key=) are never read; a file GLib cannot load is skipped whole, as
 * NetworkManager skips it.
 */
export function parseKeyfile(text: string, file: string): NmProfile {
  const read = readKeyFile(text);
  if ("error" in read) {
    const message = `${read.error}; NetworkManager cannot load this file, so it is skipped`;
    return {
      file,
      uuid: undefined,
      config: undefined,
      problems: [error(file, read.line, message)],
    };
  }
  const connection = read.groups.get("connection");
  const value = (key: string) => {
    const raw = connection?.keys.get(key)?.raw;
    return raw === undefined ? undefined : keyString(raw);
  };
  const uuid = value("uuid");
  const type = value("type");
  if (type !== "wireguard") return { file, uuid, config: undefined, problems: [] };
  const problems: Problem[] = [];
  const iface = value("interface-name");
  if (iface === undefined || iface === "") {
    const message =
      "a WireGuard profile without interface-name= (NetworkManager refuses it); skipped";
    problems.push(error(file, connection?.line ?? 1, message));
    return { file, uuid, config: undefined, problems };
  }
  // The name reaches paths (/sys/class/net/NAME), argv (wg) and log lines.
  if (!isInterfaceName(iface)) {
    const line = connection?.keys.get("interface-name")?.line ?? connection?.line ?? 1;
    const message = `interface-name=${echo(iface)}: not a valid interface name (${INTERFACE_NAME_RULE}); skipped`;
    problems.push(error(file, line, message));
    return { file, uuid, config: undefined, problems };
  }
  const peers: Peer[] = [];
  const secrets = new Set(
    [...read.groups.values()].flatMap((g) =>
      ["private-key", "preshared-key"].flatMap((k) => g.keys.get(k)?.raw ?? []),
    ),
  );
  for (const group of read.groups.values()) {
    if (!group.name.startsWith(PEER_PREFIX)) continue;
    const peer = readPeer(group, file, iface, problems);
    if (peer === undefined) continue;
    if (secrets.has(peer.publicKey)) {
      const message =
        "the group names a private or preshared key of this file: use the peer's public key; peer skipped";
      problems.push(warning(file, group.line, message));
    } else peers.push(peer);
  }
  const at = problems.map((p) => ({ ...p, iface }));
  return {
    file,
    uuid,
    config: { iface, file, saveConfig: false, peers, problems: at },
    problems: [],
  };
}

// --- internal ---

const PEER_PREFIX = "wireguard-peer.";

function readPeer(
  group: KeyGroup,
  file: string,
  iface: string,
  problems: Problem[],
): Peer | undefined {
  const publicKey = group.name.slice(PEER_PREFIX.length);
  if (!isWireGuardKey(publicKey)) {
    // NOTE: NetworkManager wants the key in normal form (44 characters, "=" at the end) here.
    const message = "invalid peer public key in the group name; NetworkManager skips this peer";
    problems.push(warning(file, group.line, message));
    return undefined;
  }
  const at = { file, line: group.line };
  const endpointRaw = group.keys.get("endpoint");
  let endpoint: Peer["endpoint"];
  const text = endpointRaw === undefined ? "" : (keyString(endpointRaw.raw) ?? "").trim();
  if (text !== "") {
    const parsed = parseManagerEndpoint(text);
    if (typeof parsed === "string") {
      const message = `endpoint=: ${parsed}; NetworkManager rejects this peer`;
      problems.push({
        ...warning(file, endpointRaw?.line ?? group.line, message),
        peer: publicKey,
      });
      return undefined;
    }
    endpoint = parsed;
  }
  const allowedRaw = group.keys.get("allowed-ips")?.raw;
  const allowedIps = (allowedRaw === undefined ? [] : (keyList(allowedRaw) ?? []))
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return { iface, publicKey, endpoint, allowedIps, at };
}

function warning(file: string, line: number, message: string): Problem {
  return { severity: "warning", kind: "config", message, at: { file, line } };
}

function error(file: string, line: number, message: string): Problem {
  return { severity: "error", kind: "config", message, at: { file, line } };
}
