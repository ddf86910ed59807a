import assert from "node:assert/strict";
import { test } from "node:test";
import { ECHO_SIZE, readEchoAnswer, writeEchoRequest } from "../../../src/probe/icmp-packet.js";

// Packets as the kernel hands them to a raw socket: IPv4 with its IP header, IPv6 without.

test("an IPv4 echo request has type 8, our identifier and sequence, and a valid checksum", () => {
  const packet = Buffer.alloc(ECHO_SIZE, 0xff);
  writeEchoRequest(packet, 4, 0x1234, 0xabcd);
  assert.equal(packet.toString("hex"), "080039fe1234abcd0000000000000000");
  assert.equal(onesComplementSum(packet), 0xffff);
});

test("an IPv6 echo request has type 128 (the kernel fills in its checksum)", () => {
  const packet = Buffer.alloc(ECHO_SIZE, 0xff);
  writeEchoRequest(packet, 6, 7, 9);
  assert.equal(packet.toString("hex"), "80000000000700090000000000000000");
});

test("reads an echo reply of either family", () => {
  const v4 = Buffer.concat([ipv4Header(), hex("0000" + "0000" + "1234" + "0002"), Buffer.alloc(8)]);
  assert.deepEqual(readEchoAnswer(v4, 4), { identifier: 0x1234, sequence: 2 });
  const v6 = Buffer.concat([hex("8100" + "0000" + "1234" + "0003"), Buffer.alloc(8)]);
  assert.deepEqual(readEchoAnswer(v6, 6), { identifier: 0x1234, sequence: 3 });
});

test("reads an ICMP error about one of our echoes from the packet it quotes", () => {
  const ourV4Echo = hex("0800" + "0000" + "1234" + "0005");
  const v4 = Buffer.concat([
    ipv4Header(),
    hex("0301" + "0000" + "00000000"),
    ipv4Header(),
    ourV4Echo,
  ]);
  assert.deepEqual(readEchoAnswer(v4, 4), {
    identifier: 0x1234,
    sequence: 5,
    error: "host unreachable",
  });
  const ourV6Echo = hex("8000" + "0000" + "1234" + "0006");
  const v6 = Buffer.concat([hex("0300" + "0000" + "00000000"), Buffer.alloc(40, 0x60), ourV6Echo]);
  assert.deepEqual(readEchoAnswer(v6, 6), {
    identifier: 0x1234,
    sequence: 6,
    error: "time exceeded",
  });
});

test("ignores what is not an answer to an echo: requests, other ICMP, short packets", () => {
  assert.equal(readEchoAnswer(hex("8000" + "0000" + "1234" + "0001"), 6), undefined); // own request
  assert.equal(readEchoAnswer(hex("8700" + "0000" + "00000000"), 6), undefined); // neighbour solicitation
  assert.equal(readEchoAnswer(hex("8100" + "0000"), 6), undefined);
  assert.equal(
    readEchoAnswer(Buffer.concat([ipv4Header(), hex("0800" + "0000" + "1234" + "0001")]), 4),
    undefined,
  );
  assert.equal(readEchoAnswer(hex("4500"), 4), undefined);
  // An error that quotes something other than an echo request (a UDP packet) is not ours.
  const udp = Buffer.concat([
    ipv4Header(),
    hex("0303" + "0000" + "00000000"),
    ipv4Header(),
    hex("d4310035" + "00080000"),
  ]);
  assert.equal(readEchoAnswer(udp, 4), undefined);
});

// --- internal ---

function hex(text: string): Buffer {
  return Buffer.from(text, "hex");
}

/** A 20-byte IPv4 header (version 4, IHL 5); the rest does not matter to the parser. */
function ipv4Header(): Buffer {
  return hex("45000024000040004001" + "0000" + "c0000201" + "c0000202");
}

function onesComplementSum(packet: Buffer): number {
  let sum = 0;
  for (let i = 0; i < packet.length; i += 2) sum += packet.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}
