/** Bytes of an echo request: the 8-byte header and 8 bytes of zeros. */
export const ECHO_SIZE = 16;

/** What came back for one of our echoes: the reply, or an ICMP error about it. */
export interface EchoAnswer {
  readonly identifier: number;
  readonly sequence: number;
  /** Undefined for an echo reply; otherwise why the echo failed ("host unreachable", ...). */
  readonly error?: string;
}

/** Writes an echo request (type 8 or 128, code 0) with this identifier and sequence number. */
export function writeEchoRequest(
  packet: Buffer,
  family: 4 | 6,
  identifier: number,
  sequence: number,
): void {
  packet.fill(0, 0, ECHO_SIZE);
  packet[0] = family === 4 ? 8 : 128;
  packet.writeUInt16BE(identifier, 4);
  packet.writeUInt16BE(sequence, 6);
  // NOTE: Linux fills in the ICMPv6 checksum of a raw ICMPv6 socket itself (RFC 3542).
  if (family === 4) packet.writeUInt16BE(checksum(packet, ECHO_SIZE), 2);
}

/**
 * Reads a packet from a raw ICMP socket: an echo reply, or an error (unreachable, time
 * exceeded, ...) quoting one of our echo requests. Undefined for anything else (other ICMP
 * traffic, our own requests looped back, truncated packets). An IPv4 raw socket hands over the
 * IP header too; an IPv6 one does not.
 */
export function readEchoAnswer(packet: Buffer, family: 4 | 6): EchoAnswer | undefined {
  const start = family === 4 ? ipv4HeaderLength(packet, 0) : 0;
  if (start === undefined || packet.length < start + 8) return undefined;
  const type = packet[start] as number;
  if (type === (family === 4 ? 0 : 129)) return ids(packet, start);
  const error = (family === 4 ? V4_ERRORS : V6_ERRORS)[type];
  if (error === undefined) return undefined;
  // An ICMP error quotes the packet that caused it: its IP header, then our echo request.
  const quoted = family === 4 ? ipv4HeaderLength(packet, start + 8) : start + 8 + 40;
  if (quoted === undefined || packet.length < quoted + 8) return undefined;
  if (packet[quoted] !== (family === 4 ? 8 : 128)) return undefined;
  const answer = ids(packet, quoted);
  return { ...answer, error };
}

// --- internal ---

const V4_ERRORS: Readonly<Record<number, string>> = {
  3: "host unreachable",
  4: "source quench",
  5: "redirect received",
  11: "time exceeded",
};

const V6_ERRORS: Readonly<Record<number, string>> = {
  1: "host unreachable",
  2: "packet too big",
  3: "time exceeded",
  4: "parameter problem",
};

function ids(packet: Buffer, at: number): EchoAnswer {
  return { identifier: packet.readUInt16BE(at + 4), sequence: packet.readUInt16BE(at + 6) };
}

/** Where the payload of the IPv4 header at `at` starts, or undefined if it is not one. */
function ipv4HeaderLength(packet: Buffer, at: number): number | undefined {
  const first = packet[at];
  if (first === undefined || first >> 4 !== 4) return undefined;
  const length = (first & 0x0f) * 4;
  return length >= 20 && packet.length >= at + length ? at + length : undefined;
}

/** The Internet checksum (RFC 1071) of the first `length` bytes. */
function checksum(packet: Buffer, length: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < length; i += 2) sum += packet.readUInt16BE(i);
  if (length % 2 === 1) sum += (packet[length - 1] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
