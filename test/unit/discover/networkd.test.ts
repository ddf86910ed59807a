import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { netdevInterface, parseNetdev } from "../../../src/discover/networkd.js";
import { readUnitSyntax } from "../../../src/discover/unit-syntax.js";
import { fixture } from "../../support/paths.js";

const read = (...parts: string[]) =>
  readFileSync(fixture("managers", "networkd", ...parts), "utf8");
const PSK = "b4OTFH/m2qm6l1G9wLu9TvZ3JRF8uWW8wJbtv6quj1M=";
const PRIVATE = "OJC5JFY0RID/Fg8AXh0/IeGbqtYHAAU54o/mWbE1OFc=";

test("systemd's own test netdev: name, kind and its one peer", () => {
  const part = parseNetdev(read("etc", "25-wireguard.netdev"), "25-wireguard.netdev");
  assert.equal(part.name, "wg99");
  assert.equal(part.kind, "wireguard");
  assert.deepEqual(part.problems, []);
  assert.deepEqual(
    part.peers.map((p) => [p.publicKey.slice(0, 8), p.endpoint, p.allowedIps, p.at.line]),
    [
      [
        "2NUavQiV",
        { host: "wireguard.example.test", port: 51820 },
        ["fd31:bf08:57cb::/48", "192.168.26.0/24"],
        14,
      ],
    ],
  );
});

test("networkd's syntax: spaces around =, continuation, ; comments, last Endpoint wins, case-sensitive sections, inline # is part of the value", () => {
  const part = parseNetdev(
    read("etc", "30-office.netdev"),
    "/etc/systemd/network/30-office.netdev",
  );
  assert.equal(part.name, "wg-office");
  assert.deepEqual(
    part.peers.map((p) => [p.publicKey.slice(0, 8), p.endpoint, p.allowedIps]),
    [
      [
        "Ha/UAZNY",
        { host: "2001:db8::5", port: 51820 },
        ["fd31:bf08:57cb::/48", "192.168.26.0/24"],
      ],
      ["YIeiNsYW", { host: "office.example.test", port: 51821 }, ["10.0.0.2/32"]],
      ["u+E5JsCk", undefined, []],
    ],
  );
  assert.deepEqual(
    part.problems.map((p) => `${p.at?.file}:${p.at?.line}: ${p.message}`),
    [
      "/etc/systemd/network/30-office.netdev:25: [wireguardpeer]: networkd's section names are case-sensitive, so it ignores this section",
      '/etc/systemd/network/30-office.netdev:31: Endpoint: expected a port 1-65535, got "51820 # not a comment for networkd"; ignored, as networkd does',
    ],
  );
});

test("netplan's rendering: peers in order, literal IPv6 endpoint, no key in any field", () => {
  const text = read("run", "10-netplan-wg0.netdev");
  const config = netdevInterface([parseNetdev(text, "/run/systemd/network/10-netplan-wg0.netdev")]);
  assert.equal(config?.iface, "wg0");
  assert.deepEqual(
    config?.peers.map((p) => [p.publicKey.slice(0, 8), p.endpoint]),
    [
      ["Ha/UAZNY", { host: "vpn.example.test", port: 51820 }],
      ["YIeiNsYW", { host: "2001:db8:ad:de::1", port: 51820 }],
    ],
  );
  const all = JSON.stringify(config);
  assert.ok(!all.includes(PSK) && !all.includes(PRIVATE), "no key reaches the result");
});

test("a drop-in's [WireGuardPeer] is one more peer; an @credential endpoint leaves its peer alone", () => {
  const config = netdevInterface([
    parseNetdev(read("etc", "30-office.netdev"), "main"),
    parseNetdev(read("usr-lib", "30-office.netdev.d", "10-credential.conf"), "cred.conf"),
    parseNetdev(read("etc", "30-office.netdev.d", "50-extra-peer.conf"), "extra.conf"),
  ]);
  assert.deepEqual(
    config?.peers.map((p) => `${p.publicKey.slice(0, 8)} ${p.at.file}:${p.at.line}`),
    ["Ha/UAZNY main:11", "YIeiNsYW main:17", "u+E5JsCk main:29", "lE8DHU28 extra.conf:1"],
  );
  assert.ok(
    config?.problems.some(
      (p) => p.at?.file === "cred.conf" && p.message.includes("credential (@name)"),
    ),
  );
});

test("not WireGuard, or no Name=: no interface", () => {
  assert.equal(netdevInterface([parseNetdev(read("usr-lib", "50-dummy.netdev"), "d")]), undefined);
  assert.equal(netdevInterface([parseNetdev("[NetDev]\nKind=wireguard\n", "x")]), undefined);
  assert.equal(
    netdevInterface([parseNetdev("[NetDev]\nname=wg1\nkind=wireguard\n", "x")]),
    undefined,
  );
});

test("a key where a public key belongs is never shown; bad endpoints are named by file and line", () => {
  const text = `[NetDev]\nName=wg5\nKind=wireguard\n[WireGuardPeer]\nPublicKey=${PRIVATE.slice(0, 30)}\nEndpoint=2001:db8::1:51820\n[WireGuardPeer]\nPublicKey=${PRIVATE}\nEndpoint=h.example.test:http\n`;
  const config = netdevInterface([parseNetdev(text, "f.netdev")]);
  const messages = (config?.problems ?? []).map((p) => `${p.at?.line}: ${p.message}`);
  assert.deepEqual(messages, [
    "5: PublicKey: not a WireGuard key; ignored",
    '6: Endpoint: "2001:db8::1": write an IPv6 address as [address]:port; ignored, as networkd does',
    "4: [WireGuardPeer] without a valid PublicKey=; networkd drops it",
    '9: Endpoint: expected a port 1-65535, got "http"; ignored, as networkd does',
  ]);
  assert.ok(!JSON.stringify(config?.problems).includes(PRIVATE.slice(0, 12)));
});

test("two sections with one key: the first is kept and the second reported", () => {
  const key = "Ha/UAZNY4vSsp0h/exydD+o8MjrIQRNFxc9I7YJ4PWU=";
  const text = `[NetDev]\nName=wg6\nKind=wireguard\n[WireGuardPeer]\nPublicKey=${key}\nEndpoint=a.example.test:1\n[WireGuardPeer]\nPublicKey=${key}\nEndpoint=b.example.test:2\n`;
  const config = netdevInterface([parseNetdev(text, "f.netdev")]);
  assert.deepEqual(
    config?.peers.map((p) => p.endpoint?.host),
    ["a.example.test"],
  );
  assert.match(
    config?.problems[0]?.message ?? "",
    /^a second \[WireGuardPeer\] with this PublicKey \(first at f\.netdev:4\)/,
  );
});

test("the syntax reader: a continued line keeps its first line number and turns \\ into a space", () => {
  const { sections } = readUnitSyntax("[A]\nK=one \\\n# skipped\n  two\nL = x\n");
  assert.deepEqual(sections[0]?.entries, [
    { key: "K", value: "one  two", line: 2 },
    { key: "L", value: "x", line: 5 },
  ]);
});

test("a private or preshared key of the file used as a PublicKey: the peer is refused, no key shown", () => {
  const psk = "b4OTFH/m2qm6l1G9wLu9TvZ3JRF8uWW8wJbtv6quj1M=";
  const text = `[NetDev]\nName=wg8\nKind=wireguard\n[WireGuard]\nPrivateKey=${PRIVATE}\n[WireGuardPeer]\nPublicKey=${PRIVATE}\nEndpoint=a.example.test:1\n[WireGuardPeer]\nPublicKey=${psk}\nPresharedKey=${psk}\nEndpoint=b.example.test:1\n`;
  const config = netdevInterface([parseNetdev(text, "f.netdev")]);
  assert.deepEqual(config?.peers, []);
  assert.deepEqual(
    config?.problems.map((p) => `${p.at?.line}: ${p.message}`),
    [
      "6: PublicKey is a private or preshared key of this file: use the peer's public key; peer skipped",
      "9: PublicKey is a private or preshared key of this file: use the peer's public key; peer skipped",
    ],
  );
  assert.ok(!JSON.stringify(config).includes(PRIVATE.slice(0, 9)));
  assert.ok(!JSON.stringify(config).includes(psk.slice(0, 9)));
});

test("a Name= that is no interface name skips the file with its line", () => {
  const text = ["[NetDev]", "Name=-wg0", "Kind=wireguard", ""].join("\n");
  const part = parseNetdev(text, "/etc/systemd/network/50-bad.netdev");
  assert.equal(part.name, undefined);
  assert.deepEqual(
    part.problems.map((p) => [p.severity, p.at?.line, p.message]),
    [
      [
        "error",
        2,
        'Name=-wg0: not a valid interface name (1-15 characters of a-z A-Z 0-9 _ = + . -, not starting with "-", not "." or ".."); file skipped',
      ],
    ],
  );
});
