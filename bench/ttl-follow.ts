/**
 * `npm run bench:watch`: how fast the service follows a DNS change on an idle tunnel,
 * driven by the name's TTL alone (5 s; no full pass and no counter poll in the window). The peer
 * moves to a new IPv6 address (the old one goes silent) and DNS follows; the time is from the
 * moment dnsmasq is told the new set to the live endpoint's change (`wg show`, read every 0.1 s).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type Lab, type LabOptions, SERVER_V4, SERVER_V6 } from "../test/e2e/lab/index.js";
import type { WatchProcess } from "../test/e2e/support/watch.js";

/** The lab for this scenario: answers with a 5 s TTL, and only the TTL can make the service act. */
export const TTL_LAB: LabOptions = {
  dnsTtlSeconds: 5,
  toolConfig: { verify: { timeoutMs: 4_000 }, watch: { intervalSeconds: 3_600, pollMs: 60_000 } },
};

/** One DNS change; milliseconds to the new live endpoint, or undefined after `giveUpMs`. */
export async function ttlFollowRun(
  lab: Lab,
  watch: WatchProcess,
  giveUpMs: number,
): Promise<number | undefined> {
  const port = lab.server(0).port;
  if ((await lab.liveEndpoint(0)) !== `[${SERVER_V6}]:${port}`)
    throw new Error("not on IPv6 to begin with");
  // Let the first TTL answers come in, then move at a random moment of the 5 s cycle.
  await sleep(1_000 + Math.random() * 5_000);
  const moved = "2001:db8:5::1";
  await lab.moveServer(SERVER_V6, moved);
  const changed = performance.now();
  await lab.setDns(lab.server(0).hostname, [moved, SERVER_V4]);
  const want = `[${moved}]:${port}`;
  while (performance.now() - changed < giveUpMs) {
    if ((await lab.liveEndpoint(0)) === want) return performance.now() - changed;
    await sleep(100);
  }
  if (!watch.running) throw new Error(`the service died:\n${watch.log}`);
  return undefined;
}
