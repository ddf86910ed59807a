/**
 * The value forms conf-gen.ts draws from. Names resolve (through the test namespace's /etc/hosts)
 * to 203.0.113.0/24 and 2001:db8:ff::/64; literal addresses are in 192.0.2.0/24, 198.51.100.0/24 and
 * 2001:db8:1::/64, so `wg show dump` tells which a peer's endpoint came from.
 */
import type { Difference } from "./conf-gen.js";

/** A value, and the deliberate difference from `wg` it exhibits, if any. */
export interface Tagged {
  readonly value: string;
  readonly difference?: Difference;
}

const LABEL_63 = "l".repeat(63);
const LABEL_64 = "m".repeat(64);

/** The /etc/hosts of the differential test: name (lower case) -> address. */
export const HOSTS: ReadonlyMap<string, string> = new Map([
  ["vpn.example.test", "203.0.113.10"],
  ["vpn_a.example.test", "203.0.113.11"],
  ["under_score", "203.0.113.12"],
  ["v6only.example.test", "2001:db8:ff::1"],
  ["-dash-.example.test", "203.0.113.13"],
  [`${LABEL_63}.example.test`, "203.0.113.14"],
  ["vpn.example.test.", "203.0.113.15"],
  ["0x1g.example.test", "203.0.113.16"],
  [`${LABEL_64}.example.test`, "203.0.113.17"],
]);

/** Endpoint forms: names, literals in every spelling getaddrinfo takes, and broken ones. */
export const ENDPOINTS = {
  ok: [
    "vpn.example.test:51820",
    "VPN.Example.TEST:51820",
    "vpn_A.example.test:51820",
    "under_score:1",
    "v6only.example.test:65535",
    "-dash-.example.test:51820",
    `${LABEL_63}.example.test:51820`,
    "vpn.example.test.:51820",
    "0x1g.example.test:51820",
    "[vpn.example.test]:51820",
    "vpn.example.test:domain",
    "vpn.example.test:ntp",
    "vpn.example.test:+51820",
    "vpn.example.test:0051820",
    "192.0.2.1:51820",
    "198.51.100.7:1",
    "[2001:db8:1::1]:51820",
    "[2001:DB8:1:0::1]:51820",
    "2001:db8:1::1:51820",
    "[192.0.2.1]:51820",
    "192.0.2.1:domain",
    "3221225985:51820",
    "0xc0.0.2.1:51820",
    "0300.0.2.1:51820",
    "192.0.513:51820",
    "192.513:51820",
    "[::ffff:192.0.2.1]:51820",
    "[fe80::1%1]:51820",
    "[fe80::1%lo]:51820",
    "[2001:db8:1::1%7]:51820",
  ],
  bad: [
    "vpn.example.test",
    "vpn.example.test:",
    "[2001:db8:1::1]51820",
    "[2001:db8:1::1",
    "[2001:db8:1::1]:",
    ":51820",
    "[]:51820",
    "vpn..example.test:1",
    "bad!name.example.test:1",
    "2001:db8:1::1",
    "192.0.2.1.5:1",
    "256.0.2.1:1",
    "08.0.2.1:1",
    "192.0.2.1.:1",
    "vpn.example.test:-1",
    "vpn.example.test:http",
    "vpn.example.test:DOMAIN",
    "vpn.example.test:0x10",
    "[2001:db8:1::1%lo]:1",
    "[fe80::1%]:1",
  ],
  differences: [
    { value: "vpn.example.test:0", difference: "port" },
    { value: "vpn.example.test:65536", difference: "port" },
    { value: "192.0.2.1:65537", difference: "port" },
    { value: "nowhere.example.test:51820", difference: "unresolvable" },
    { value: `${LABEL_64}.example.test:1`, difference: "longName" },
    { value: "[fe80::1%nosuchif0]:51820", difference: "unknownZone" },
  ] as readonly Tagged[],
};

/** Value forms of every other key: `ok` ones `wg` (and wg-quick) accept, `bad` ones not. */
export const VALUES: Readonly<Record<string, { ok: readonly string[]; bad: readonly string[] }>> = {
  ListenPort: {
    ok: ["51820", "0", "65535", "65536", "+51820", "051820", "domain", "99999999999", "4294967295"],
    bad: ["http", "-1", "x", "0x10"],
  },
  FwMark: {
    ok: ["0", "off", "OFF", "0x10", "0xffffffff", "4294967295", "1234"],
    bad: ["0X10", "4294967296", "0x", "-1", "x", "0x1g"],
  },
  PersistentKeepalive: {
    ok: ["0", "off", "Off", "25", "65535", "025"],
    bad: ["65536", "+5", "0x5", "x"],
  },
  AllowedIPs: {
    ok: [
      "0.0.0.0/0",
      "::/0",
      "172.25.1.1/32, fd25::1/128",
      "172.25.1.1",
      "172.25.1.0/024",
      "172.25.1.5/24",
      "::ffff:172.25.1.1/128",
    ],
    bad: [
      "172.25.1.0/33",
      "fd25::/129",
      "172.25.1.1/",
      "172.25/16",
      "010.0.0.1/32",
      "fe80::1%lo/64",
      "172.25.1.1,,172.25.1.2",
      "172.25.1.1/32,",
      "+172.25.1.1/32",
      "172.25.1.1/+32",
    ],
  },
  Address: { ok: ["172.25.1.2/24", "172.25.1.2/24, fd25::2/64", "anything at all"], bad: [] },
  DNS: { ok: ["192.0.2.53", "192.0.2.53, example.test"], bad: [] },
  MTU: { ok: ["1420", "x"], bad: [] },
  Table: { ok: ["off", "auto", "1234"], bad: [] },
  PreUp: { ok: ["echo up", "echo a=b # c"], bad: [] },
  PostUp: { ok: ["iptables -A FORWARD -i %i -j ACCEPT; echo [Peer]"], bad: [] },
  PreDown: { ok: ["true"], bad: [] },
  PostDown: { ok: ["echo Endpoint = x"], bad: [] },
  SaveConfig: { ok: ["true", "false", "TRUE"], bad: ["yes", ""] },
};
