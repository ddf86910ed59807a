/**
 * The benchmark's N-peer client interface: an extra wg-quick interface in the lab's client
 * namespace (the lab's own interface holds the healthy peer), brought up and down for each N.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Lab } from "../test/e2e/lab/index.js";
import { clientDown, clientUp } from "../test/e2e/lab/wireguard.js";

/** A client interface brought up by wg-quick; `down()` is idempotent and never throws. */
export interface ClientIface {
  readonly iface: string;
  readonly upMs: number;
  down(): Promise<void>;
}

/** Writes `conf` as the lab's extra client interface and runs `wg-quick up` on it. */
export async function extraClientUp(lab: Lab, conf: string): Promise<ClientIface> {
  const { clientNs, clientEtc } = lab.names;
  const iface = lab.names.extraClientIface(0);
  const file = join(clientEtc, "wireguard", `${iface}.conf`);
  await writeFile(file, conf, { mode: 0o600 });
  let pid: number | undefined;
  let gone = false;
  const down = async () => {
    if (gone) return;
    gone = true;
    await clientDown(clientNs, iface, pid);
    await rm(file, { force: true });
  };
  const started = performance.now();
  try {
    pid = await clientUp(clientNs, iface, 120_000);
  } catch (error) {
    await down();
    throw error;
  }
  return { iface, upMs: Math.round(performance.now() - started), down };
}
