/**
 * End-to-end lab on real WireGuard (wireguard-go) in network namespaces. Start with `createLab()`,
 * always `await lab.destroy()` (e.g. in `t.after`). See plan.ts for the topology and address plan.
 */
export { createLab, type LabOptions, type ServerOptions } from "./create.js";
export { type ExecOptions, type ExecResult, run } from "./exec.js";
export type { OldAddressFate } from "./faults.js";
export { Lab, type LabServer, REPO_ROOT, TOOL_BIN, type TunnelWaitOptions } from "./lab.js";
export { cleanupStaleLabs } from "./namespace.js";
export * from "./plan.js";
export { labSkipReason } from "./requirements.js";
export type { PeerStatus } from "./wireguard.js";
