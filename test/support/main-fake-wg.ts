/**
 * The CLI's `main()` run in-process against a fake `wg` on PATH: the way tests reach failure
 * modes of `wg` (missing, down, slow, garbage) without WireGuard and without any traffic.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

/** What a run of `main()` returned and wrote. */
export interface MainResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A new directory holding only `wg`, a sh script running `body` (its dir: `$(dirname "$0")`). */
export function fakeWgDir(body: string): string {
  const bin = mkdtempSync(join(tmpdir(), "wgem-bin-"));
  writeFileSync(join(bin, "wg"), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, "wg"), 0o755);
  return bin;
}

/** Runs `main(argv)` with PATH set to `path` for the run (restored after, whatever happens). */
export async function runMain(argv: readonly string[], path: string): Promise<MainResult> {
  const saved = process.env["PATH"];
  process.env["PATH"] = path;
  let out = "";
  let err = "";
  const io = {
    stdout: (text: string) => {
      out += text;
    },
    stderr: (text: string) => {
      err += text;
    },
  };
  try {
    return { code: await main(argv, io), out, err };
  } finally {
    process.env["PATH"] = saved;
  }
}
