import { isIP } from "node:net";
import type { Candidate } from "../model.js";

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
  const host = (toBigInt(address, family) & mask) + 1n;
  return fromBigInt(host, family);
}

function toBigInt(address: string, family: 4 | 6): bigint {
  if (family === 4)
    return address.split(".").reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);
  const [head = "", tail] = address.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [
    ...groups(head),
    ...Array(tail === undefined ? 0 : missing).fill("0"),
    ...groups(tail),
  ];
  return all.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}

function fromBigInt(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join(".");
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) =>
    ((value >> s) & 0xffffn).toString(16),
  );
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}
