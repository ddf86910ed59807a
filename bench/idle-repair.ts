/**
 * `npm run bench:watch`: how fast the service repairs an idle tunnel (PersistentKeepalive 5 s,
 * no data) whose IPv6 path breaks silently. Keepalives are never answered, so no counter shows
 * the break: only the idle check of each endpoint between passes (EndpointSweep in
 * watch/echoes.ts) can.
 * Full passes are an hour apart here, so a full pass cannot be what repairs it. The time is from
 * the fault to the live endpoint's change (`wg show`, read every 0.1 s).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type Lab, type LabOptions, SERVER_V4 } from "../test/e2e/lab/index.js";
import type { WatchProcess } from "../test/e2e/support/watch.js";

/** The lab: an idle tunnel with keepalives every 5 s; full passes an hour apart. */
export const IDLE_LAB: LabOptions = {
  servers: [{ persistentKeepalive: 5 }],
  toolConfig: { verify: { timeoutMs: 4_000 }, watch: { intervalSeconds: 3_600 } },
};

/** One silent IPv6 break of an idle tunnel; ms to the IPv4 endpoint, or undefined after `giveUpMs`. */
export async function idleRepairRun(
  lab: Lab,
  watch: WatchProcess,
  giveUpMs: number,
): Promise<number | undefined> {
  const before = await lab.liveEndpoint(0);
  if (before?.startsWith("[") !== true) throw new Error(`not on IPv6 to begin with: ${before}`);
  // Idle a while (keepalives only), then break at a random moment of the check's cycle.
  await sleep(5_000 + Math.random() * 3_000);
  const fault = performance.now();
  await lab.breakIpv6Silently();
  const want = `${SERVER_V4}:${lab.server(0).port}`;
  while (performance.now() - fault < giveUpMs) {
    if ((await lab.liveEndpoint(0)) === want) return performance.now() - fault;
    await sleep(100);
  }
  if (!watch.running) throw new Error(`the service died:\n${watch.log}`);
  return undefined;
}
