import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readRegularFileSync } from "../../../src/common/read-regular-sync.js";

test("a regular file's bytes; absent, a FIFO, too large, a refused owner or a link are not read", () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-rrs-"));
  try {
    const file = join(dir, "a.conf");
    writeFileSync(file, "Endpoint = vpn.example.test:51820\n");
    assert.equal(
      (readRegularFileSync(file, 1024) as Buffer).toString(),
      "Endpoint = vpn.example.test:51820\n",
    );
    assert.equal(readRegularFileSync(join(dir, "none"), 1024), "absent");
    assert.equal(readRegularFileSync(file, 10), "refused", "larger than the bound");
    assert.equal(readRegularFileSync(file, 1024, { accept: () => false }), "refused");
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    assert.equal(readRegularFileSync(fifo, 1024), "refused", "opened, judged, never waited on");
    const link = join(dir, "link");
    symlinkSync(file, link);
    assert.equal(readRegularFileSync(link, 1024, { noFollow: true }), "refused");
    assert.ok(Buffer.isBuffer(readRegularFileSync(link, 1024)), "followed unless told not to");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
