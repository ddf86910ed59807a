import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../support/paths.js";

const BIN = join(repoRoot, "dist", "bin", "bin.js");

// Whatever is left pending when the run's work is done (here a timer a minute long, preloaded
// into the process) must not keep the process: cron starts the next run a minute later.
test("the command exits when its work is done, though something is still pending", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-pending-"));
  const preload = join(dir, "pending.cjs");
  writeFileSync(preload, "setTimeout(() => {}, 60_000);\n");
  const child = spawn(process.execPath, ["--require", preload, BIN, "--version"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(timer);
  assert.equal(code, 0, "killed after 10 s: the process waited for what was pending");
  assert.match(out, /\d+\.\d+\.\d+/);
});
