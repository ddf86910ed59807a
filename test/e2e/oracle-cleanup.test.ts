/**
 * A crashed oracle leaves nothing behind: a child process creates an oracle (test/e2e/support/
 * wg-oracle.ts) and is SIGKILLed, so its own cleanup never runs; `cleanupStaleLabs()` then removes
 * its namespace, wireguard-go, /etc/netns dir, socket and tmp dir, and leaves a live oracle alone.
 * Nothing is sent anywhere: the oracle's interface is never brought up.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { processArgv, run } from "./lab/exec.js";
import { cleanupStaleLabs, labSkipReason } from "./lab/index.js";
import type { OracleNames } from "./lab/oracle-ns.js";
import { createOracle } from "./support/wg-oracle.js";

const skip = await labSkipReason();

test(
  "cleanupStaleLabs removes a dead run's oracle and keeps a live one",
  skip ? { skip } : {},
  async (t) => {
    const live = await createOracle(new Map());
    t.after(() => live.close());
    const dead = await crashedOracle();
    const daemons = await pidsIn(dead.ns);
    assert.equal(daemons.length, 1, `wireguard-go runs in ${dead.ns}: ${daemons.join(" ")}`);
    assert.deepEqual(leftovers(dead), [dead.ns, dead.etc, dead.socket, dead.tmpDir]);

    await cleanupStaleLabs();

    assert.deepEqual(leftovers(dead), [], `${dead.id}: nothing left`);
    for (const pid of daemons)
      assert.equal(await processArgv(pid), undefined, `pid ${pid} is gone`);
    const kept = live.names;
    assert.deepEqual(leftovers(kept), [kept.ns, kept.etc, kept.socket, kept.tmpDir]);
    assert.equal((await pidsIn(kept.ns)).length, 1, `wireguard-go still runs in ${kept.ns}`);
  },
);

// --- internal ---

const ORACLE_MODULE = fileURLToPath(new URL("./support/wg-oracle.js", import.meta.url));

// A child node that creates an oracle, says its names, and is killed before it can clean up.
async function crashedOracle(): Promise<OracleNames> {
  const script = `
    const { createOracle } = await import(${JSON.stringify(ORACLE_MODULE)});
    const oracle = await createOracle(new Map());
    console.log(JSON.stringify(oracle.names));
    setInterval(() => undefined, 1_000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
    return JSON.parse(line) as OracleNames;
  } finally {
    clearTimeout(timer);
    child.kill("SIGKILL");
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
  }
}

// What of an oracle still exists: its namespace (in /run/netns), /etc/netns dir, socket, tmp dir.
function leftovers(names: OracleNames): string[] {
  const paths = [`/run/netns/${names.ns}`, names.etc, names.socket, names.tmpDir];
  return paths.filter((path) => existsSync(path)).map((p) => p.replace("/run/netns/", ""));
}

async function pidsIn(ns: string): Promise<number[]> {
  const out = await run(["ip", "netns", "pids", ns], { timeoutMs: 5_000 });
  return out.stdout
    .split(/\s+/)
    .filter((p) => /^\d+$/.test(p))
    .map(Number);
}
