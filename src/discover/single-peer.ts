import { parseEndpoint } from "../common/endpoint.js";
import { UsageError } from "../common/usage-error.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import type { InterfaceConfig } from "../model.js";

/** The original script's flags: one peer to manage, named on the command line. */
export interface SinglePeer {
  readonly iface: string;
  readonly peer: string;
  readonly host: string;
  readonly port: string;
}

/** The one peer named by the original script's flags, as if it were a config file. */
export function singlePeerConfig(single: SinglePeer): InterfaceConfig {
  const { iface } = single;
  if (!isWireGuardKey(single.peer))
    throw new UsageError(`--peer ${single.peer}: expected a 44-character base64 public key`);
  const endpoint = parseEndpoint(
    `${single.host.includes(":") ? `[${single.host}]` : single.host}:${single.port}`,
  );
  if (typeof endpoint === "string")
    throw new UsageError(`--host ${single.host} --port ${single.port}: ${endpoint}`);
  const at = { file: "(command line)" };
  return {
    iface,
    file: at.file,
    saveConfig: false,
    problems: [],
    peers: [{ iface, publicKey: single.peer, endpoint, allowedIps: [], at }],
  };
}
