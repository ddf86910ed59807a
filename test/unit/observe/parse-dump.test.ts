import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseDump } from "../../../src/observe/parse-dump.js";
import { fixture } from "../../support/paths.js";

test("parses every peer of a dump, normalises endpoints and keeps no secret", () => {
  const text = readFileSync(fixture("dump", "wg0.dump"), "utf8");
  const peers = parseDump(text);
  assert.deepEqual(peers[0], {
    publicKey: "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
    endpoint: "[2001:db8::1]:51820",
    allowedIps: ["172.25.1.1/32", "fd25:5771:2371::1/128"],
    latestHandshake: 1764050000,
    rxBytes: 1234,
    txBytes: 5678,
  });
  assert.equal(peers[1]?.endpoint, undefined);
  assert.deepEqual(peers[1]?.allowedIps, []);
  assert.equal(peers[2]?.endpoint, "192.0.2.8:41000");
  const serialised = JSON.stringify(peers);
  assert.ok(!serialised.includes("cHJpdmF0ZS1rZXk"), "private key leaked");
  assert.ok(!serialised.includes("cHJlc2hhcmVk"), "preshared key leaked");
});

test("output that is not a dump is an error naming the line, never showing it", () => {
  const key = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
  const head = "cHJpdmF0ZS1rZXk=\tpub\t51820\toff";
  assert.throws(() => parseDump(""), { name: "DumpFormatError", message: "empty output" });
  assert.throws(() => parseDump("garbage\n"), { message: "line 1 is not an interface line" });
  assert.throws(() => parseDump(`${head}\n${key}\t(none)\n`), {
    message: "line 2 is not a peer line",
  });
  const badCounter = `${head}\n${key}\t(none)\t(none)\t(none)\t0\tx\t0\toff\n`;
  assert.throws(() => parseDump(badCounter), { message: "line 2 is not a peer line" });
  assert.deepEqual(parseDump(`${head}\n`), []);
});
