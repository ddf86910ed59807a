/**
 * `wg-endpoint-manager watch` as systemd runs it, inside a lab's client namespace: a child process
 * whose output we keep (in memory and in the lab's tmp dir, kept with WGEM_LAB_KEEP=1), signalled
 * by PID (`ip netns exec` execs node, so the PID is the tool's).
 *
 * NOTE: not lab/exec.ts's startDaemon(): its Daemon gives no exit status, which the SIGTERM test
 * checks, and its output goes only to a file that would have to be polled.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { inNs } from "../lab/exec.js";
import { type Lab, TOOL_BIN } from "../lab/index.js";

/** Services still running; SIGTERMed by PID if this process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGTERM");
});

/** One running `watch` service. */
export class WatchProcess {
  private output = "";
  private exit: Promise<number | null>;
  private exited = false;
  /** The signal that ended the process, if one did (exit code null). */
  exitSignal: NodeJS.Signals | null = null;

  constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    /** Where the output is also written. */
    readonly logFile: string,
  ) {
    live.add(child);
    const append = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      this.output += text;
      try {
        appendFileSync(logFile, text, { mode: 0o600 });
      } catch {
        // The lab's tmp dir is gone (destroyed first): the log in memory is enough.
      }
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    this.exit = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exited = true;
        this.exitSignal = signal;
        live.delete(child);
        resolve(code);
      });
    });
  }

  /** Everything the service printed so far (stdout and stderr interleaved). */
  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Waits (bounded) until the log matches `pattern` after offset `from`; true when it did. */
  async waitForLog(pattern: RegExp, timeoutMs: number, from = 0): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (let i = 0; i < Math.ceil(timeoutMs / 50) + 1; i++) {
      if (pattern.test(this.output.slice(from))) return true;
      if (performance.now() >= deadline || this.exited)
        return pattern.test(this.output.slice(from));
      await sleep(50);
    }
    return false;
  }

  signal(name: NodeJS.Signals): void {
    if (!this.exited) this.child.kill(name);
  }

  /** Sends `name` and waits at most `timeoutMs` for the exit code (undefined: still running). */
  async stop(
    name: NodeJS.Signals = "SIGTERM",
    timeoutMs = 20_000,
  ): Promise<number | null | undefined> {
    this.signal(name);
    const timeout = sleep(timeoutMs).then(() => undefined);
    return Promise.race([this.exit, timeout]);
  }

  /** Last resort for cleanup: SIGTERM, then SIGKILL. */
  async kill(): Promise<void> {
    if ((await this.stop("SIGTERM", 15_000)) === undefined) {
      this.signal("SIGKILL");
      await Promise.race([this.exit, sleep(2_000)]);
    }
  }
}

/**
 * Starts `watch --verbose` in the lab's client namespace and waits until it says it is watching
 * and its first full pass is done (it is killed again if it does not get there).
 */
export function launchWatch(lab: Lab, args: readonly string[] = []): Promise<WatchProcess> {
  // The first full pass ends with the "Existing endpoint" reasoning of every peer (--verbose).
  return launchInClient(
    lab,
    [process.execPath, TOOL_BIN, "watch", "--verbose", ...args],
    async (watch) =>
      (await watch.waitForLog(/^watching /m, 15_000)) &&
      (await watch.waitForLog(/Existing endpoint is/, 15_000)),
  );
}

/**
 * Starts `command` (a watch service, however wrapped) in the lab's client namespace and waits
 * until `ready` says so; kills it again if it does not get there.
 */
export async function launchInClient(
  lab: Lab,
  command: readonly string[],
  ready: (watch: WatchProcess) => Promise<boolean>,
): Promise<WatchProcess> {
  const [file, ...rest] = inNs(lab.clientNamespace, command);
  if (file === undefined) throw new Error("empty argv");
  const child = spawn(file, rest, { cwd: lab.names.tmpDir, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error("could not start watch");
  const watch = new WatchProcess(
    child,
    child.pid,
    join(lab.names.tmpDir, `watch.${child.pid}.log`),
  );
  if (!(await ready(watch))) {
    await watch.kill();
    throw new Error(`watch did not start:\n${watch.log}`);
  }
  return watch;
}

/** launchWatch for a test: stopped after the test whatever happens, its log in the diagnostics. */
export async function startWatch(
  t: TestContext,
  lab: Lab,
  args: readonly string[] = [],
): Promise<WatchProcess> {
  return stopAfter(t, await launchWatch(lab, args));
}

/** Stops `watch` after the test whatever happens, with its log in the diagnostics. */
export function stopAfter(t: TestContext, watch: WatchProcess): WatchProcess {
  t.after(async () => {
    await watch.kill();
    for (const line of watch.log.trimEnd().split("\n")) t.diagnostic(`  watch: ${line}`);
  });
  return watch;
}

/** Milliseconds since `started` (performance.now()). */
export function since(started: number): number {
  return Math.round(performance.now() - started);
}
