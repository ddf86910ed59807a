import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Line } from "../../../src/report/format.js";
import { DEFAULTS, type Settings } from "../../../src/settings/schema.js";
import { ConfigFiles, type FileEvent } from "../../../src/watch/config-files.js";

// The service's config files with a fake file watcher: how many watchers run, and what becomes
// of an event whose handling fails.

const CONF = `[Interface]
PrivateKey = 6KlCNMKAkKcfT+iQxfl7ABTz4yiso5iwGjJgdGVu9VQ=
[Peer]
PublicKey = XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=
AllowedIPs = 172.25.1.1/32
Endpoint = 192.0.2.1:51820
`;

class Fixture {
  readonly lines: Line[] = [];
  /** The watchers started and not yet stopped. */
  running = 0;
  started = 0;
  onFile: ((e: FileEvent) => Promise<void>) | undefined;
  onError: ((error: unknown) => void) | undefined;
  /** Thrown by the interfaces-changed callback, when set. */
  changedError: Error | undefined;
  readonly settings: Settings;

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), "wgem-cf-"));
    const none = { networkd: false, networkManager: false };
    this.settings = {
      ...DEFAULTS,
      configDir: join(dir, "conf"),
      stateDir: join(dir, "state"),
      sources: { ...DEFAULTS.sources, ...none },
    };
    mkdirSync(this.settings.configDir);
    writeFileSync(join(this.settings.configDir, "wg0.conf"), CONF);
  }

  files(): ConfigFiles {
    return new ConfigFiles(this.settings, {
      log: { line: (l) => this.lines.push(l) },
      // A watcher takes a while to start, as chokidar's does.
      watchFiles: async (_paths, onChange, onError) => {
        this.started++;
        this.running++;
        await sleep(20);
        this.onFile = onChange;
        this.onError = onError;
        return async () => {
          this.running--;
        };
      },
      reloadSettings: async () => {},
      changed: () => {
        if (this.changedError !== undefined) throw this.changedError;
      },
      requestPass: () => {},
    });
  }

  errors(): string[] {
    return this.lines.filter((l) => l.level === "error").map((l) => l.text);
  }
}

test("a reload while the watcher starts: one watcher runs, and none once stopped", async () => {
  const f = new Fixture();
  const files = f.files();
  await files.load();
  await Promise.all([files.watch(undefined), files.reload(f.settings)]);
  assert.equal(f.running, 1, `${f.started} watchers started`);
  await files.stop();
  assert.equal(f.running, 0);
});

test("an event whose handling fails is logged, and the watcher's errors too", async () => {
  const f = new Fixture();
  const files = f.files();
  await files.load();
  await files.watch(undefined);
  f.changedError = new Error("boom");
  await f.onFile?.({ kind: "change", path: join(f.settings.configDir, "wg0.conf") });
  f.onError?.(new Error("ENOSPC: System limit for number of file watchers reached"));
  assert.deepEqual(f.errors(), [
    "error: a file event failed: Error: boom; watching on",
    "error: the file watcher failed: Error: ENOSPC: System limit for number of file watchers reached; watching on",
  ]);
  await files.stop();
});
