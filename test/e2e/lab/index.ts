/**
 * End-to-end lab on real WireGuard (wireguard-go) in network namespaces; needs root. See plan.ts
 * for the topology and address plan.
 *
 *   const lab = await createLab({ servers: [{ dns: ["2001:db8:1::1", "192.0.2.1"] }] });
 *   t.after(() => lab.destroy());
 *   await lab.breakIpv6Silently();
 *   const result = await lab.runTool(["run"]);          // the built CLI, in the client namespace
 *   assert.equal(await lab.liveEndpoint(0), "192.0.2.1:51820");
 *   assert.ok(await lab.tunnelWorks(0));
 *
 * Good to know:
 * - The tool sees /etc/wireguard = /etc/netns/<client>/wireguard (only the lab's wgc<id>.conf),
 *   /etc/resolv.conf -> the lab's dnsmasq, /etc/wg-endpoint-manager/config.json -> lab stateDir.
 * - wireguard-go sockets in /var/run/wireguard are not per namespace: `wg show interfaces` in the
 *   client namespace also lists the server interfaces (wgs<id>a/b) and other labs' interfaces.
 * - Servers share one namespace and its addresses; server i listens on UDP 51820 + i.
 * - After `wg set ... endpoint` to a working address, data flows at once when the session is
 *   young; without any handshake yet it can take up to ~5 s (handshake retry timer).
 * - WGEM_LAB_KEEP=1 keeps the lab's tmp dir (logs of dnsmasq and wireguard-go) after destroy().
 */
export { createLab, type LabOptions, type ServerOptions } from "./create.js";
export { type ExecOptions, type ExecResult, run } from "./exec.js";
export type { OldAddressFate } from "./faults.js";
export { type KeyPair, wgKeyPairs } from "./keys.js";
export { Lab, type LabServer, type TunnelWaitOptions } from "./lab.js";
export * from "./plan.js";
export { labSkipReason } from "./requirements.js";
export { cleanupStaleLabs, cleanupStaleOracles } from "./stale.js";
export type { PeerStatus } from "./wireguard.js";
