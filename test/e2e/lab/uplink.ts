/**
 * The client's uplink, for "this host is offline" tests: taken away (the veth set down: the kernel
 * drops the routes through it and the IPv6 address on it) and brought back the way DHCP and router
 * advertisements would (link up, address and routes again); or left up but dead beyond the first
 * hop (the server drops everything from the client except neighbour discovery).
 */
import { inNs, runOk } from "./exec.js";
import { waitLinkUp } from "./namespace.js";
import { CLIENT_V4, CLIENT_V6, type LabNames, SERVER_V4, SERVER_V6 } from "./plan.js";

/** The client's veth goes down. */
export async function uplinkDown(names: LabNames): Promise<void> {
  await runOk(["ip", "-n", names.clientNs, "link", "set", names.clientVeth, "down"]);
}

/** The client's veth comes up again with its addresses and routes (idempotent). */
export async function uplinkUp(names: LabNames): Promise<void> {
  const { clientNs: c, clientVeth: cv, profile } = names;
  await runOk(["ip", "-n", c, "link", "set", cv, "up"]);
  await waitLinkUp(c, cv);
  const v4 = `${CLIENT_V4}/${profile.linkV4Prefix}`;
  await runOk(["ip", "-n", c, "addr", "replace", v4, "dev", cv]);
  await runOk(["ip", "-n", c, "addr", "replace", `${CLIENT_V6}/64`, "dev", cv, "nodad"]);
  for (const net of profile.routedV4)
    await runOk(["ip", "-n", c, "route", "replace", net, "via", SERVER_V4]);
  await runOk(["ip", "-n", c, "-6", "route", "replace", profile.routedV6, "via", SERVER_V6]);
}

/** Everything from the client is dropped by the server in `family` (ND still works): a dead uplink. */
export async function uplinkSilent(names: LabNames, family: 4 | 6): Promise<void> {
  await runOk(inNs(names.serverNs, silenceRule(family, "-A")));
}

/** Undoes `uplinkSilent` for `family`. */
export async function uplinkHeard(names: LabNames, family: 4 | 6): Promise<void> {
  await runOk(inNs(names.serverNs, silenceRule(family, "-D")));
}

// --- internal ---

function silenceRule(family: 4 | 6, op: "-A" | "-D"): string[] {
  const tool = family === 4 ? "iptables" : "ip6tables";
  return [tool, "-w", op, "INPUT", "-s", family === 4 ? CLIENT_V4 : CLIENT_V6, "-j", "DROP"];
}
