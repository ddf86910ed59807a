/**
 * Failure injection with iptables/ip6tables inside the lab's namespaces. Every rule is remembered
 * under a tag so it can be undone exactly; neighbour discovery is never blocked (namespace.ts
 * accepts it first), so "silent" faults stay silent instead of turning into local errors.
 */
import { inNs, run, runOk } from "./exec.js";
import { addServerAddress, removeServerAddress, serverHasAddress } from "./namespace.js";
import { CLIENT_V6, isV6, type LabNames, ROUTED_V6 } from "./plan.js";

interface Rule {
  readonly ns: string;
  readonly tool: "iptables" | "ip6tables";
  readonly spec: readonly string[];
}

/** What happens to the old address in `moveServer`. */
export type OldAddressFate = "silent" | "removed";

export class Faults {
  private readonly rules = new Map<string, Rule[]>();

  constructor(private readonly names: LabNames) {}

  /** Server drops everything from the client's IPv6 address: sends succeed, nothing comes back. */
  async breakIpv6Silently(): Promise<void> {
    await this.add("v6-silent", this.names.serverNs, "ip6tables", [
      "INPUT",
      "-s",
      CLIENT_V6,
      "-j",
      "DROP",
    ]);
  }

  /** Client drops its own IPv6 output to 2001:db8::/32: sendmsg fails at once with EPERM. */
  async breakIpv6Loudly(): Promise<void> {
    await this.add("v6-loud", this.names.clientNs, "ip6tables", [
      "OUTPUT",
      "-d",
      ROUTED_V6,
      "-j",
      "DROP",
    ]);
  }

  /** Undoes `breakIpv6Silently` and `breakIpv6Loudly`. */
  async repairIpv6(): Promise<void> {
    await this.clear("v6-silent");
    await this.clear("v6-loud");
  }

  /**
   * Makes `address` exist on the server (so ARP/NDP and routing reach it) but drop everything sent
   * to it: like a dead host on the Internet, no reply and no ICMP error.
   */
  async makeSilentDead(address: string): Promise<void> {
    await addServerAddress(this.names, address);
    if (this.rules.has(`dead:${address}`)) return;
    await this.add(`dead:${address}`, this.names.serverNs, tool(address), [
      "INPUT",
      "-d",
      address,
      "-j",
      "DROP",
    ]);
  }

  /** Undoes `makeSilentDead` (the address stays on the server and answers again). */
  async revive(address: string): Promise<void> {
    await this.clear(`dead:${address}`);
  }

  /**
   * The peer moved from `from` to `to`: `to` is added to the server (and revived if dead); `from`
   * becomes silent-dead (default; like an abandoned address) or is removed from the server (then
   * IPv4 is silent too, but IPv6 gets an ICMPv6 unreachable back from the server: a loud failure).
   */
  async moveServer(from: string, to: string, fate: OldAddressFate = "silent"): Promise<void> {
    await addServerAddress(this.names, to);
    await this.revive(to);
    if (fate === "silent") {
      await this.makeSilentDead(from);
    } else {
      await this.revive(from);
      await removeServerAddress(this.names, from);
    }
  }

  /** Server ignores ICMP/ICMPv6 echo requests arriving from outside (tunnel pings still work). */
  async dropIcmpEcho(): Promise<void> {
    const veth = this.names.serverVeth;
    const s = this.names.serverNs;
    await this.add(
      "icmp-echo",
      s,
      "iptables",
      ["INPUT", "-i", veth, "-p", "icmp"].concat(["--icmp-type", "echo-request", "-j", "DROP"]),
    );
    await this.add(
      "icmp-echo",
      s,
      "ip6tables",
      ["INPUT", "-i", veth, "-p", "ipv6-icmp"].concat([
        "--icmpv6-type",
        "echo-request",
        "-j",
        "DROP",
      ]),
    );
  }

  async restoreIcmpEcho(): Promise<void> {
    await this.clear("icmp-echo");
  }

  /** Server drops UDP to `port` over IPv6 (WireGuard over v6 dies) while ICMPv6 echo still answers. */
  async dropUdpOverIpv6(port: number): Promise<void> {
    const veth = this.names.serverVeth;
    await this.add(`udp6:${port}`, this.names.serverNs, "ip6tables", [
      "INPUT",
      "-i",
      veth,
      "-p",
      "udp",
      "--dport",
      String(port),
      "-j",
      "DROP",
    ]);
  }

  async restoreUdpOverIpv6(port: number): Promise<void> {
    await this.clear(`udp6:${port}`);
  }

  /**
   * Server drops UDP to `port` as it arrives, in the raw table (before NAT, so a port forwarded
   * to `port` by `forwardUdp` still gets through), for both families or only for address `to`.
   * ICMP echo still answers: ping says the address is fine while WireGuard on `port` is dead.
   */
  async dropUdp(port: number, to?: string): Promise<void> {
    const tools: Rule["tool"][] = to === undefined ? ["iptables", "ip6tables"] : [tool(to)];
    const only = to === undefined ? [] : ["-d", to];
    for (const which of tools) {
      await this.add(`udp-drop:${port}:${to ?? "all"}`, this.names.serverNs, which, [
        "PREROUTING",
        ...["-t", "raw", "-i", this.names.serverVeth, ...only],
        ...["-p", "udp", "--dport", String(port), "-j", "DROP"],
      ]);
    }
  }

  /** Undoes `dropUdp(port, to)`. */
  async restoreUdp(port: number, to?: string): Promise<void> {
    await this.clear(`udp-drop:${port}:${to ?? "all"}`);
  }

  /**
   * The server also takes UDP on port `from` (both families): a DNAT to its WireGuard port `to`,
   * as a peer reachable on 443 where 51820 is blocked. The NAT table starts connection tracking
   * in the namespace, and a flow tracked straight to `to` would clash with the forwarded one (same
   * reply tuple): block `to` first with `dropUdp`, which drops before tracking (raw table).
   */
  async forwardUdp(from: number, to: number): Promise<void> {
    for (const which of ["iptables", "ip6tables"] as const) {
      await this.add(`udp-forward:${from}`, this.names.serverNs, which, [
        "PREROUTING",
        ...["-t", "nat", "-i", this.names.serverVeth, "-p", "udp", "--dport", String(from)],
        ...["-j", "DNAT", "--to-destination", `:${to}`],
      ]);
    }
  }

  /** Undoes every fault (addresses added by `makeSilentDead`/`moveServer` stay). */
  async clearAll(): Promise<void> {
    for (const tag of [...this.rules.keys()]) await this.clear(tag);
  }

  /** Whether `address` is currently configured on the server. */
  async serverHas(address: string): Promise<boolean> {
    return serverHasAddress(this.names, address);
  }

  private async add(tag: string, ns: string, which: Rule["tool"], spec: string[]): Promise<void> {
    await runOk(inNs(ns, [which, "-w", "-A", ...spec]));
    const list = this.rules.get(tag) ?? [];
    list.push({ ns, tool: which, spec });
    this.rules.set(tag, list);
  }

  private async clear(tag: string): Promise<void> {
    for (const rule of (this.rules.get(tag) ?? []).reverse()) {
      await run(inNs(rule.ns, [rule.tool, "-w", "-D", ...rule.spec]));
    }
    this.rules.delete(tag);
  }
}

function tool(address: string): Rule["tool"] {
  return isV6(address) ? "ip6tables" : "iptables";
}
