import assert from "node:assert/strict";
import { test } from "node:test";
import { Scheduler, type Scope } from "../../../src/watch/scheduler.js";

test("one pass at a time; requests meanwhile merge into one queued pass", async () => {
  const seen: string[] = [];
  let release: () => void = () => {};
  const s = new Scheduler(
    async (scope: Scope) => {
      seen.push(scope.kind === "all" ? "all" : [...scope.keys].sort().join(","));
      if (seen.length === 1) await new Promise<void>((r) => (release = r));
    },
    () => {},
  );
  s.requestPass({ kind: "peers", keys: new Set(["a"]) });
  s.requestPass({ kind: "peers", keys: new Set(["b"]) });
  s.requestPass({ kind: "peers", keys: new Set(["c"]) });
  release();
  await s.idle();
  assert.deepEqual(seen, ["a", "b,c"]);
});

test("a failing pass is reported and does not stop the next", async () => {
  const errors: unknown[] = [];
  let n = 0;
  const s = new Scheduler(
    async () => {
      if (++n === 1) throw new Error("boom");
    },
    (e) => errors.push(e),
  );
  s.requestPass({ kind: "all" });
  await s.idle();
  s.requestPass({ kind: "all" });
  await s.idle();
  assert.equal(n, 2);
  assert.equal(errors.length, 1);
});

test("stop() waits for the running pass, drops the queue, and is safe twice", async () => {
  let passes = 0;
  let finish: () => void = () => {};
  const running = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const s = new Scheduler(
    async () => {
      passes++;
      await running;
    },
    () => {},
  );
  s.requestPass({ kind: "all" });
  s.requestPass({ kind: "all" });
  let stopped = false;
  const stopping = s.stop().then(() => {
    stopped = true;
  });
  await Promise.resolve();
  assert.equal(stopped, false, "stop() waits for the pass under way");
  finish();
  await stopping;
  await s.stop();
  s.requestPass({ kind: "all" });
  await s.idle();
  assert.equal(passes, 1);
});
