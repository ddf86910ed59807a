import { isIP } from "node:net";
import { ipToNumber, numberToIp } from "../common/ip-number.js";
import type { Candidate, LivePeer, Peer } from "../model.js";

/**
 * The address inside the tunnel a peer's check pings: from its live AllowedIPs (what WireGuard
 * routes to it now), else those of its config file, unless the settings name one (`verifyAddress`).
 */
export function checkAddressOf(
  peer: Pick<Peer, "allowedIps">,
  live: Pick<LivePeer, "allowedIps">,
  verifyAddress: string | undefined,
): Candidate | undefined {
  return tunnelCheckAddress(
    live.allowedIps.length > 0 ? live.allowedIps : peer.allowedIps,
    verifyAddress,
  );
}

/**
 * The address inside the tunnel to send a check packet to: the first host of the peer's first
 * AllowedIPs range that is not a default route (pinging an arbitrary Internet address through a
 * full tunnel would be wrong). Undefined when there is none; `verifyAddress` can name one.
 */
export function tunnelCheckAddress(
  allowedIps: readonly string[],
  override?: string,
): Candidate | undefined {
  if (override !== undefined) {
    const family = isIP(override);
    return family === 4 || family === 6 ? { address: override, family } : undefined;
  }
  for (const range of allowedIps) {
    const [address = "", bitsText] = range.trim().split("/");
    const family = isIP(address);
    if (family !== 4 && family !== 6) continue;
    const width = family === 4 ? 32 : 128;
    const bits = bitsText === undefined ? width : Number(bitsText);
    if (!Number.isInteger(bits) || bits <= 0 || bits > width) continue;
    return { address: bits === width ? address : firstHost(address, family, bits), family };
  }
  return undefined;
}

// --- internal ---

function firstHost(address: string, family: 4 | 6, bits: number): string {
  const width = family === 4 ? 32 : 128;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
  const host = (ipToNumber(address, family) & mask) + 1n;
  return numberToIp(host, family);
}
