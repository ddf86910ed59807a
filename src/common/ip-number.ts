/**
 * An IP address (valid, as `isIP` says; no zone) as a number: 32 bits for IPv4, 128 for IPv6,
 * the `::ffff:192.0.2.1` form included. The one place address text becomes a number.
 */
export function ipToNumber(address: string, family: 4 | 6): bigint {
  if (family === 4) return address.split(".").reduce((n, part) => (n << 8n) | BigInt(part), 0n);
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted !== null) {
    const v4 = ipToNumber(dotted[2] ?? "", 4);
    return ipToNumber(`${dotted[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`, 6);
  }
  const [head = "", tail] = address.split("::");
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return all.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** The text of an address number: dotted quad, or IPv6 in its short canonical form. */
export function numberToIp(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join(".");
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) =>
    ((value >> s) & 0xffffn).toString(16),
  );
  // The WHATWG URL parser writes IPv6 hosts in RFC 5952's short form.
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}
