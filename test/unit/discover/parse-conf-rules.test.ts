import assert from "node:assert/strict";
import { test } from "node:test";
import { parseServices } from "../../../src/common/services.js";
import { parseConf } from "../../../src/discover/parse-conf.js";
import { Rng } from "../../support/conf-gen.js";

// The rules of wg-quick (linux.bash parse_options) and wg (config.c) that decide whether a file is
// read at all; each is checked against `wg` itself by test/e2e/parser-differential.test.ts.

const PRIV = "6KlCNMKAkKcfT+iQxfl7ABTz4yiso5iwGjJgdGVu9VQ=";
const PUB = "kX2UMrZk/SFtLJnpiflUwL5ZRJTk9HEM5OOfAww+5CU=";

function problems(text: string): string[] {
  const conf = parseConf(text, "wg0.conf", "wg0", { services: parseServices("domain 53/udp\n") });
  return conf.problems.map((p) => `${p.at?.line}: ${p.message}`);
}

test("a hostname with an underscore is managed, as wg resolves it", () => {
  const text = `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nPublicKey = ${PUB}\nEndpoint = vpn_A.example.com:51820\n`;
  const conf = parseConf(text, "wg0.conf", "wg0");
  assert.deepEqual(conf.problems, []);
  assert.deepEqual(conf.peers[0]?.endpoint, { host: "vpn_A.example.com", port: 51820 });
});

test("AmneziaWG's keys and any key wg does not know are errors naming the line", () => {
  const amnezia = `[Interface]\nPrivateKey = ${PRIV}\nJc = 4\nJmin = 40\nS1 = 0\nH4 = 1\nTable2 = 1\n`;
  assert.deepEqual(problems(amnezia), [
    "3: Jc is an AmneziaWG key, which wg does not know",
    "4: Jmin is an AmneziaWG key, which wg does not know",
    "5: S1 is an AmneziaWG key, which wg does not know",
    "6: H4 is an AmneziaWG key, which wg does not know",
    "7: a line wg does not understand (not shown: this section holds a private or preshared key)",
  ]);
  assert.deepEqual(problems("[Interface]\nListenPort = 1\nTable2 = 1\n"), [
    '3: unknown key "Table2"',
  ]);
});

test("wg-quick's keys are fine in [Interface] only as wg-quick recognises them", () => {
  const quick =
    "Address = 172.25.1.2/24\ndns=192.0.2.53\nMTU\nTable = off\nPreUp = a=b # c\nPostUp = x\nPreDown = x\nPOSTDOWN = x\nSaveConfig = TRUE\n";
  const conf = parseConf(`[Interface]\n${quick}`, "wg0.conf", "wg0");
  assert.deepEqual(conf.problems, []);
  assert.equal(conf.saveConfig, true);
  assert.deepEqual(problems("[Interface]\nPost Up = echo up\nSaveConfig = yes\n"), [
    '2: "Post Up": wg-quick reads PostUp only when written without spaces, so wg gets it and rejects it',
    '3: SaveConfig "yes": expected true or false',
  ]);
  assert.deepEqual(problems("[ Interface ]\nAddress = 172.25.1.2/24\n"), [
    '2: Address: wg-quick reads its keys only after a header written exactly "[Interface]", so wg gets it and rejects it',
  ]);
  assert.deepEqual(problems(`DNS = 192.0.2.53\n[Peer]\nPublicKey = ${PUB}\nMTU = 1420\n`), [
    "1: DNS comes before any section",
    `4: MTU belongs in [Interface], not [Peer]; peer skipped`,
  ]);
});

test("wg's own keys in the wrong section, empty values and bad values are errors", () => {
  const text = `[Interface]\nEndpoint = a.test:1\nListenPort = http\nFwMark = 0X10\n[Peer]\nPublicKey = ${PUB}\nListenPort = 1\nAllowedIPs = 10.0.0.0/33\nPersistentKeepalive = +5\nEndpoint =\n`;
  assert.deepEqual(problems(text), [
    "2: Endpoint belongs in [Peer], not [Interface]",
    '3: ListenPort "http": expected a port number or a UDP service name',
    '4: FwMark "0X10": expected off or 0-0xffffffff',
    "7: ListenPort belongs in [Interface], not [Peer]; peer skipped",
    '8: AllowedIPs "10.0.0.0/33": expected an IP address or ADDRESS/PREFIX; peer skipped',
    '9: PersistentKeepalive "+5": expected off or 0-65535 seconds; peer skipped',
    "10: Endpoint has no value; peer skipped",
  ]);
});

test("whitespace is what C's isspace says: CRLF and inner spaces are fine, a BOM and NBSP are not", () => {
  const crlf = `[Interface]\r\nPrivate Key = ${PRIV}\r\n[Peer]\r\nPublicKey\t=\v${PUB}\r\nEnd point = vpn.example.test : 5 1820\r\n`;
  const conf = parseConf(crlf, "wg0.conf", "wg0");
  assert.deepEqual(conf.problems, []);
  assert.deepEqual(conf.peers[0]?.endpoint, { host: "vpn.example.test", port: 51820 });
  assert.deepEqual(problems(`\ufeff[Interface]\nPrivateKey = ${PRIV}\n`), [
    "1: the file starts with a byte order mark (BOM), which wg rejects; save it without one",
  ]);
  assert.deepEqual(problems(`[Peer]\nPublicKey = ${PUB}\nEndpoint\u00a0= a.test:1\n`), [
    '3: unknown key "Endpoint<U+00A0>"; peer skipped',
  ]);
});

test("two [Peer] sections with one PublicKey are one peer: later Endpoint and AllowedIPs win", () => {
  const text = `[Peer]\nPublicKey = ${PUB}\nEndpoint = a.test:1\nAllowedIPs = 10.0.0.1\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.0.0.2\n`;
  const conf = parseConf(text, "wg0.conf", "wg0");
  assert.deepEqual(
    conf.peers.map((p) => [p.endpoint, p.allowedIps, p.at.line]),
    [[{ host: "a.test", port: 1 }, ["10.0.0.2"], 1]],
  );
});

test("at most 20 problems per file, then one line saying how many more", () => {
  const text = `[Interface]\n${"Foo = 1\n".repeat(35)}`;
  const lines = problems(text);
  assert.equal(lines.length, 21);
  assert.equal(lines[19], '21: unknown key "Foo"');
  assert.equal(lines[20], "22: 15 more problems from this line on, not shown");
});

test("a megabyte of random bytes: 21 lines at most, no control character, quickly", () => {
  const rng = new Rng(9);
  const bytes = Buffer.from(Array.from({ length: 1 << 20 }, () => rng.int(256)));
  const started = performance.now();
  const conf = parseConf(bytes.toString("latin1"), "wg0.conf", "wg0");
  assert.ok(performance.now() - started < 2_000, "took over 2 s");
  assert.equal(conf.problems.length, 21);
  assert.match(
    conf.problems[20]?.message ?? "",
    /^\d+ more problems from this line on, not shown$/,
  );
  for (const p of conf.problems) assert.ok(!/\p{Cc}/u.test(p.message), p.message);
});
