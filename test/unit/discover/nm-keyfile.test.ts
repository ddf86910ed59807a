import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { keyList, keyString, readKeyFile } from "../../../src/discover/keyfile-syntax.js";
import { parseKeyfile } from "../../../src/discover/nm-keyfile.js";
import { fixture } from "../../support/paths.js";

const read = (...parts: string[]) => readFileSync(fixture("managers", "nm", ...parts), "utf8");
const PSK = "b4OTFH/m2qm6l1G9wLu9TvZ3JRF8uWW8wJbtv6quj1M=";
const PRIVATE = "KB04G30C9zg0d8yAJevc715AhUEwWWCEkUbyLN1IE0Y=";

test("an nmcli keyfile: interface-name, one peer per [wireguard-peer.KEY], ; lists, no key read", () => {
  const profile = parseKeyfile(read("etc", "office.nmconnection"), "/etc/NM/office.nmconnection");
  assert.equal(profile.uuid, "0f4ebc1e-2b4c-4d5a-9a43-3c9c0d3ad2a1");
  const config = profile.config;
  assert.equal(config?.iface, "wg-nm");
  assert.deepEqual(
    config?.peers.map((p) => [p.publicKey.slice(0, 8), p.endpoint, p.allowedIps, p.at.line]),
    [
      [
        "YIeiNsYW",
        { host: "office.example.test", port: 51820 },
        ["10.0.0.0/24", "fd00:db8::/64"],
        11,
      ],
      ["u+E5JsCk", { host: "2001:db8::9", port: 51821 }, ["10.0.1.0/24"], 18],
      ["lE8DHU28", undefined, [], 22],
    ],
  );
  assert.deepEqual(
    config?.problems.map((p) => `${p.at?.line}: ${p.message}`),
    ["25: invalid peer public key in the group name; NetworkManager skips this peer"],
  );
  const all = JSON.stringify(profile);
  assert.ok(!all.includes(PSK) && !all.includes(PRIVATE), "no key reaches the result");
});

test("netplan's NetworkManager rendering is read the same way", () => {
  const config = parseKeyfile(read("run", "netplan-wg1.nmconnection"), "x").config;
  assert.equal(config?.iface, "wg1");
  assert.deepEqual(config?.peers[0]?.endpoint, { host: "vpn.example.test", port: 51820 });
});

test("a file GLib cannot load is skipped whole, with its line; other types are not interfaces", () => {
  const broken = parseKeyfile(read("etc", "broken.nmconnection"), "/x/broken.nmconnection");
  assert.equal(broken.config, undefined);
  assert.deepEqual(
    broken.problems.map((p) => `${p.at?.file}:${p.at?.line}: ${p.message}`),
    [
      "/x/broken.nmconnection:5: neither a key=value pair, a [group] nor a comment; NetworkManager cannot load this file, so it is skipped",
    ],
  );
  const ethernet = parseKeyfile(read("etc", "ethernet.nmconnection"), "e");
  assert.deepEqual([ethernet.config, ethernet.problems], [undefined, []]);
});

test("GLib key file rules: dotted group names, repeated groups merged, last key wins, escapes", () => {
  const text = "# c\n[a.b=c]\nk = 1\n[x]\ny=2\n[a.b=c]\nk=3\n";
  const read = readKeyFile(text);
  assert.ok("groups" in read);
  assert.equal(read.groups.get("a.b=c")?.keys.get("k")?.raw, "3");
  assert.equal(keyString("a\\sb\\\\c\\t"), "a b\\c\t");
  assert.equal(keyString("bad\\q"), undefined);
  assert.deepEqual(keyList("10.0.0.0/8;a\\;b;c\\\\;"), ["10.0.0.0/8", "a;b", "c\\"]);
});

test("a port NetworkManager refuses (a service name) drops that peer, said with file and line", () => {
  const key = "Ha/UAZNY4vSsp0h/exydD+o8MjrIQRNFxc9I7YJ4PWU=";
  const text = `[connection]\ntype=wireguard\ninterface-name=wg7\n[wireguard-peer.${key}]\nendpoint=h.example.test:domain\n`;
  const config = parseKeyfile(text, "f.nmconnection").config;
  assert.deepEqual(config?.peers, []);
  assert.deepEqual(
    config?.problems.map((p) => `${p.at?.file}:${p.at?.line}: ${p.message}`),
    [
      'f.nmconnection:5: endpoint=: expected a port 1-65535, got "domain"; NetworkManager rejects this peer',
    ],
  );
});

test("a private key of the file as a peer's group name: the peer is refused, no key shown", () => {
  const text = `[connection]\ntype=wireguard\ninterface-name=wg9\n[wireguard]\nprivate-key=${PRIVATE}\n[wireguard-peer.${PRIVATE}]\nendpoint=a.example.test:1\n`;
  const config = parseKeyfile(text, "f.nmconnection").config;
  assert.deepEqual(config?.peers, []);
  assert.equal(config?.problems[0]?.at?.line, 6);
  assert.ok(!JSON.stringify(config).includes(PRIVATE.slice(0, 9)));
});

test("an interface-name that is no interface name is skipped with its line, never echoed raw", () => {
  const text = [
    "[connection]",
    "type=wireguard",
    "interface-name=../../etc\\nwarning: forged",
    "[wireguard-peer.xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=]",
    "endpoint=vpn.example.test:51820",
    "",
  ].join("\n");
  const profile = parseKeyfile(text, "/etc/NM/bad.nmconnection");
  assert.equal(profile.config, undefined);
  assert.deepEqual(
    profile.problems.map((p) => [p.severity, p.at?.line, p.message.includes("\n")]),
    [["error", 3, false]],
  );
  assert.match(
    profile.problems[0]?.message ?? "",
    /^interface-name=.*: not a valid interface name/,
  );
});
