/**
 * Running commands for the lab: argument arrays only (never a shell), results instead of throws,
 * and bounded waiting. Everything else in the lab goes through these helpers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";

/** What a finished command did. Never thrown; check `exitCode`. */
export interface ExecResult {
  /** Process exit code; -1 when it was killed by a signal or timed out, 127 when it did not start. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

export interface ExecOptions {
  /** Kill the command (SIGTERM, then SIGKILL 1 s later) after this long. Default 20 s. */
  readonly timeoutMs?: number;
  /** Text fed to stdin (e.g. a private key for `wg pubkey`). */
  readonly input?: string;
  readonly cwd?: string;
  /** Extra environment variables (merged into the current environment). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `argv` and returns its result; does not throw when the command fails. */
export async function run(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error("run: empty argv");
  const started = performance.now();
  const result = await execa(file, args, {
    reject: false,
    timeout: options.timeoutMs ?? 20_000,
    forceKillAfterDelay: 1_000,
    stripFinalNewline: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: { LC_ALL: "C", ...options.env },
  });
  const exitCode =
    typeof result.exitCode === "number"
      ? result.exitCode
      : result.failed && !result.signal
        ? 127
        : -1;
  return {
    exitCode,
    stdout: typeof result.stdout === "string" ? result.stdout : "",
    stderr: typeof result.stderr === "string" ? result.stderr : "",
    durationMs: Math.round(performance.now() - started),
    timedOut: result.timedOut,
  };
}

/**
 * Runs `argv` and throws when it exits non-zero. The error names the command and its stderr, never
 * its stdout (which may hold private keys, e.g. `wg show dump`).
 */
export async function runOk(argv: readonly string[], options: ExecOptions = {}): Promise<string> {
  const result = await run(argv, options);
  if (result.exitCode !== 0) {
    throw new Error(
      `command failed (exit ${result.exitCode}${result.timedOut ? ", timed out" : ""}): ` +
        `${argv.join(" ")}\n${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

/** `ip netns exec NS ...argv`. */
export function inNs(ns: string, argv: readonly string[]): string[] {
  return ["ip", "netns", "exec", ns, ...argv];
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, at most `timeoutMs` long
 * and at most `maxTries` times. Returns the value, or `undefined` on timeout.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  { timeoutMs, intervalMs = 100, maxTries = 1_000 }: WaitOptions,
): Promise<T | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (let i = 0; i < maxTries; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    const left = deadline - performance.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(intervalMs, left));
  }
  return undefined;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly maxTries?: number;
}

/** The argv of a running process, or undefined when it is gone or a zombie. */
export async function processArgv(pid: number): Promise<string[] | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Field 3 (after the parenthesised command name) is the state; Z = zombie, X = dead.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return undefined;
    const raw = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((part) => part !== "");
  } catch {
    return undefined;
  }
}

/**
 * Stops one process we started: SIGTERM, wait (bounded), then SIGKILL. `expect` guards against PID
 * reuse: the process is only signalled when its argv contains that string.
 */
export async function killPid(pid: number, expect: string, timeoutMs = 3_000): Promise<void> {
  const matches = async () => (await processArgv(pid))?.includes(expect) === true;
  if (!(await matches())) return;
  signal(pid, "SIGTERM");
  const gone = await waitFor(async () => !(await matches()), { timeoutMs, intervalMs: 50 });
  if (gone) return;
  signal(pid, "SIGKILL");
  await waitFor(async () => !(await matches()), { timeoutMs: 1_000, intervalMs: 50 });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Finds the PID of a running process whose argv equals `argv` exactly (e.g. a daemonized child). */
export async function findPidByArgv(argv: readonly string[]): Promise<number | undefined> {
  const entries = await readdir("/proc");
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const found = await processArgv(Number(entry));
    if (found?.length === argv.length && found.every((part, i) => part === argv[i])) {
      return Number(entry);
    }
  }
  return undefined;
}

/** A long-running process the lab started (wireguard-go -f, dnsmasq). */
export interface Daemon {
  readonly pid: number;
  /** True until the process has exited. */
  running(): boolean;
  /** SIGTERM, bounded wait, then SIGKILL. Idempotent. */
  stop(): Promise<void>;
}

/** Daemons still running; SIGTERMed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGTERM");
});

/**
 * Starts `argv` in the background with stdout/stderr appended to `logFile`, without keeping Node
 * alive. Uses node:child_process because execa cannot hand a file descriptor to the child (it
 * would pipe through this process instead).
 */
export function startDaemon(argv: readonly string[], logFile: string): Daemon {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error("startDaemon: empty argv");
  const fd = openSync(logFile, "a", 0o600);
  let child: ChildProcess;
  try {
    child = spawn(file, args, { stdio: ["ignore", fd, fd], env: { ...process.env, LC_ALL: "C" } });
  } finally {
    closeSync(fd);
  }
  let exited = false;
  const done = new Promise<void>((resolve) => {
    const finish = () => {
      exited = true;
      live.delete(child);
      resolve();
    };
    child.once("exit", finish);
    child.once("error", finish);
  });
  child.unref();
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not start ${argv.join(" ")} (see ${logFile})`);
  live.add(child);
  return {
    pid,
    running: () => !exited,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      if (await Promise.race([done.then(() => true), sleep(3_000).then(() => false)])) return;
      child.kill("SIGKILL");
      await Promise.race([done, sleep(1_000)]);
    },
  };
}
