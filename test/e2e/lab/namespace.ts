/**
 * Network namespaces of one lab: creation (veth, addresses, routes, server-local ranges, as the
 * lab's profile says), server-side extra addresses, teardown, and the lab's owner file (the
 * leftovers of crashed runs are removed by stale.ts).
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { inNs, killPid, processArgv, run, runOk, waitFor } from "./exec.js";
import { claimOwner } from "./owner.js";
import {
  CLIENT_V4,
  CLIENT_V6,
  hostPrefix,
  isV6,
  type LabNames,
  NS_PREFIX,
  SERVER_V4,
  SERVER_V6,
} from "./plan.js";

/** ICMPv6 neighbour/router discovery: never blocked by any lab fault (a real LAN keeps working). */
const NDP_TYPES = [
  "router-solicitation",
  "router-advertisement",
  "neighbour-solicitation",
  "neighbour-advertisement",
  "redirect",
];

/** Creates both namespaces, the veth link between them, addresses and routes. */
export async function createNamespaces(names: LabNames): Promise<void> {
  const c = names.clientNs;
  const s = names.serverNs;
  for (const ns of [c, s]) {
    await runOk(["ip", "netns", "add", ns]);
    // No duplicate address detection: addresses are usable at once, link-local ones too.
    await runOk(
      inNs(ns, [
        "sysctl",
        "-q",
        "-w",
        "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0",
      ]),
    );
    await runOk(["ip", "-n", ns, "link", "set", "lo", "up"]);
    for (const chain of ["INPUT", "OUTPUT"]) {
      for (const type of NDP_TYPES) {
        const rule = [chain, "-p", "ipv6-icmp", "--icmpv6-type", type, "-j", "ACCEPT"];
        await runOk(inNs(ns, ["ip6tables", "-w", "-A", ...rule]));
      }
    }
  }
  const peer = ["peer", "name", names.serverVeth, "netns", s];
  await runOk(["ip", "link", "add", "name", names.clientVeth, "netns", c, "type", "veth", ...peer]);
  const cv = names.clientVeth;
  const sv = names.serverVeth;
  const v4 = names.profile.linkV4Prefix;
  await runOk(["ip", "-n", c, "addr", "add", `${CLIENT_V4}/${v4}`, "dev", cv]);
  await runOk(["ip", "-n", c, "addr", "add", `${CLIENT_V6}/64`, "dev", cv, "nodad"]);
  await runOk(["ip", "-n", s, "addr", "add", `${SERVER_V4}/${v4}`, "dev", sv]);
  await runOk(["ip", "-n", s, "addr", "add", `${SERVER_V6}/64`, "dev", sv, "nodad"]);
  await runOk(["ip", "-n", c, "link", "set", cv, "up"]);
  await runOk(["ip", "-n", s, "link", "set", sv, "up"]);
  await waitLinkUp(c, cv);
  await waitLinkUp(s, sv);
  await addRoutes(names);
}

/** The client's routes via the server, and the server's local (and silent) ranges. */
async function addRoutes(names: LabNames): Promise<void> {
  const { clientNs: c, serverNs: s, profile } = names;
  for (const net of profile.routedV4) {
    await runOk(["ip", "-n", c, "route", "add", net, "via", SERVER_V4]);
  }
  await runOk(["ip", "-n", c, "-6", "route", "add", profile.routedV6, "via", SERVER_V6]);
  for (const { net, silent } of profile.serverRanges) {
    const v6 = net.includes(":");
    // The whole range is local on the server (no neighbour entry per address).
    await runOk(["ip", "-n", s, ...(v6 ? ["-6"] : []), "route", "add", "local", net, "dev", "lo"]);
    const tables = v6 ? "ip6tables" : "iptables";
    if (silent) await runOk(inNs(s, [tables, "-w", "-A", "INPUT", "-d", net, "-j", "DROP"]));
  }
}

/**
 * Waits (at most 3 s) until `dev` in `ns` is operationally UP. Until linkwatch marks a new link
 * operational (up to ~1 s), its qdisc drops every packet: the first neighbour solicitation would
 * be lost and the first IPv6 contact would take 1 s.
 */
export async function waitLinkUp(ns: string, dev: string): Promise<void> {
  const up = await waitFor(
    async () => / state UP /.test(await runOk(["ip", "-n", ns, "-o", "link", "show", "dev", dev])),
    { timeoutMs: 3_000, intervalMs: 20 },
  );
  if (!up) throw new Error(`${dev} in ${ns} did not come up`);
}

/** Adds `address` (as /32 or /128) to the server's veth; no-op when it is already there. */
export async function addServerAddress(names: LabNames, address: string): Promise<void> {
  if (await serverHasAddress(names, address)) return;
  const argv = ["ip", "-n", names.serverNs, "addr", "add", hostPrefix(address)];
  await runOk(argv.concat(["dev", names.serverVeth], isV6(address) ? ["nodad"] : []));
}

/** Removes `address` from the server namespace (whatever its prefix length); no-op when absent. */
export async function removeServerAddress(names: LabNames, address: string): Promise<void> {
  const out = await runOk(["ip", "-n", names.serverNs, "-o", "addr", "show"]);
  for (const line of out.split("\n")) {
    const match = /^\d+:\s+(\S+)\s+inet6?\s+(\S+)/.exec(line);
    if (match?.[1] && match[2]?.split("/")[0] === address) {
      await runOk(["ip", "-n", names.serverNs, "addr", "del", match[2], "dev", match[1]]);
    }
  }
}

export async function serverHasAddress(names: LabNames, address: string): Promise<boolean> {
  const out = await runOk(["ip", "-n", names.serverNs, "-o", "addr", "show"]);
  return out.split("\n").some((line) => line.split(/\s+/)[3]?.split("/")[0] === address);
}

/** Kills every process still inside `ns` (all were started by a lab or bench), then deletes `ns`. */
export async function deleteNamespace(ns: string): Promise<void> {
  if (!ns.startsWith(NS_PREFIX)) throw new Error(`refusing to delete namespace ${ns}`);
  const pids = await run(["ip", "netns", "pids", ns], { timeoutMs: 5_000 });
  for (const pid of pids.stdout.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
    const argv = await processArgv(Number(pid));
    if (argv?.[0] !== undefined) await killPid(Number(pid), argv[0], 2_000);
  }
  await run(["ip", "netns", "del", ns], { timeoutMs: 5_000 });
}

/** Removes every file a lab left outside its namespaces: /etc/netns dir, sockets, tmp dir. */
export async function removeLabFiles(names: LabNames, keepTmp = false): Promise<void> {
  await rm(names.clientEtc, { recursive: true, force: true });
  for (const iface of names.wgIfaces()) {
    await rm(`/var/run/wireguard/${iface}.sock`, { force: true });
  }
  if (!keepTmp) await rm(names.tmpDir, { recursive: true, force: true });
}

/** Marks a lab as owned by this process, so concurrent runs do not clean it up as stale. */
export async function claimLab(names: LabNames): Promise<void> {
  await claimOwner(join(names.tmpDir, "lab.json"), { exclusive: false });
}
