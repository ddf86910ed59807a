import assert from "node:assert/strict";
import { test } from "node:test";
import type { Clock } from "../../../src/clock.js";
import { Coalesced, Scheduler, type Scope } from "../../../src/watch/scheduler.js";

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

/** A clock whose sleeps end only when the test moves time on. */
class ManualClock implements Clock {
  private time = 0;
  private waiters: { at: number; wake: () => void }[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.waiters.push({ at: this.time + ms, wake }));
  }
  /** Moves time on by `ms`, wakes the sleeps due, and lets what they started run. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.waiters.filter((w) => w.at <= this.time);
    this.waiters = this.waiters.filter((w) => w.at > this.time);
    for (const w of due) w.wake();
    await new Promise((r) => setImmediate(r));
  }
}

test("Coalesced: 50 requests 15 ms apart (a SIGHUP storm) make two runs, the second a gap after the first", async () => {
  const clock = new ManualClock();
  const starts: number[] = [];
  const reload = new Coalesced(
    async () => {
      starts.push(clock.now());
    },
    clock,
    1_000,
  );
  const done: Promise<void>[] = [];
  for (let i = 0; i < 50; i++) {
    done.push(reload.request());
    await clock.advance(15);
  }
  await clock.advance(250); // a gap after the first run
  await Promise.all(done);
  assert.deepEqual(starts, [0, 1_000]);
  // Once quiet for a gap, a request runs at once again.
  await clock.advance(1_750);
  await reload.request();
  assert.deepEqual(starts, [0, 1_000, 2_750]);
});
