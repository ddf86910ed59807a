import assert from "node:assert/strict";
import { test } from "node:test";
import { inetAton } from "../../../src/common/endpoint-host.js";
import { parseServices } from "../../../src/common/services.js";
import { isWireGuardKey } from "../../../src/common/wireguard-key.js";
import { badAllowedIp, glibcPort, isFwMark, isKeepalive } from "../../../src/discover/wg-values.js";

// The expected values were read from glibc 2.36 (getaddrinfo) and wg v1.0.20210914 on Debian 12.

const services = parseServices(
  "domain\t\t53/tcp\t\t\t\t# Domain Name Server\ndomain\t\t53/udp\nhttp\t\t80/tcp\t\twww\nntp\t\t123/udp\n",
);

test("ports as getaddrinfo reads them for wg: strtoul, wrapping, UDP service names", () => {
  const cases: [string, number | undefined][] = [
    ["51820", 51820],
    ["+51820", 51820],
    ["051820", 51820],
    ["65536", 0],
    ["65537", 1],
    ["99999999999", 59391],
    ["4294967297", 1],
    ["-1", undefined],
    ["18446744073709551615", undefined],
    ["0x10", undefined],
    ["domain", 53],
    ["DOMAIN", undefined],
    ["http", undefined],
    ["ntp", 123],
    ["", undefined],
  ];
  for (const [text, port] of cases) assert.equal(glibcPort(text, services), port, text);
});

test("FwMark, PersistentKeepalive and keys as config.c checks them", () => {
  for (const ok of ["0", "off", "OFF", "0x10", "0xffffffff", "4294967295", "0017"])
    assert.ok(isFwMark(ok), ok);
  for (const bad of ["0X10", "0x", "4294967296", "-1", "+1", "x", "0x1g", "0x0x5"])
    assert.ok(!isFwMark(bad), bad);
  for (const ok of ["0", "off", "Off", "25", "65535", "025"]) assert.ok(isKeepalive(ok), ok);
  for (const bad of ["65536", "+5", "0x5", "x", ""]) assert.ok(!isKeepalive(bad), bad);
  assert.ok(isWireGuardKey("kX2UMrZk/SFtLJnpiflUwL5ZRJTk9HEM5OOfAww+5CU="));
  assert.ok(!isWireGuardKey("kX2UMrZk/SFtLJnpiflUwL5ZRJTk9HEM5OOfAww+5CV="), "low bits set");
  assert.ok(!isWireGuardKey("kX2UMrZk/SFtLJnpiflUwL5ZRJTk9HEM5OOfAww+5CU"), "43 characters");
});

test("AllowedIPs: inet_pton addresses, digit-only prefixes within range, no empty entries", () => {
  for (const ok of ["0.0.0.0/0", "::/0", "172.25.1.1", "172.25.1.0/024", "::ffff:1.2.3.4/128"])
    assert.equal(badAllowedIp(ok), undefined, ok);
  const bad = [
    "172.25.1.0/33",
    "fd25::/129",
    "172.25.1.1/",
    "172.25/16",
    "010.0.0.1",
    "fe80::1%lo",
  ];
  for (const entry of [...bad, "+172.25.1.1", "172.25.1.1/+32"])
    assert.equal(badAllowedIp(entry), entry);
  assert.equal(badAllowedIp("172.25.1.1,,172.25.1.2"), "");
  assert.equal(badAllowedIp("172.25.1.1,"), "");
});

test("IPv4 literals in every form inet_aton takes", () => {
  const cases: [string, string | undefined][] = [
    ["10.1", "10.0.0.1"],
    ["1", "0.0.0.1"],
    ["4294967295", "255.255.255.255"],
    ["0x7f.1", "127.0.0.1"],
    ["017.0.0.1", "15.0.0.1"],
    ["1.2.65535", "1.2.255.255"],
    ["1.16777215", "1.255.255.255"],
    ["00000000000000001", "0.0.0.1"],
    ["4294967296", undefined],
    ["08.1.1.1", undefined],
    ["0x", undefined],
    ["1.2.3.4.", undefined],
    ["1.2.65536", undefined],
    ["256.1.1.1", undefined],
    ["1..2", undefined],
    ["1.2.3.4.5", undefined],
  ];
  for (const [text, address] of cases) assert.equal(inetAton(text), address, text);
});
