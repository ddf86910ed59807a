import { spawn } from "node:child_process";
import type { LivePeer } from "../model.js";
import { DumpFormatError, parseAllDump, parseDump } from "./parse-dump.js";

/** A failed call of the `wg` binary, with its arguments (keys redacted), exit code and stderr. */
export class WgCommandError extends Error {
  override readonly name = "WgCommandError";
  constructor(
    message: string,
    /** What went wrong, for callers that treat a missing binary differently from an interface that is down. */
    readonly reason: "missing" | "not-up" | "permission" | "failed",
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The only module that runs `wg`: argument arrays, never a shell, never a secret on a line. */
export interface Wg {
  /** Live peers of one interface, or a WgCommandError (e.g. the interface is not up). */
  show(iface: string): Promise<LivePeer[]>;
  /** Live peers of every interface, with one `wg` process. */
  showAll(): Promise<Map<string, LivePeer[]>>;
  /** Moves one peer's endpoint; `endpoint` must be a literal `addr:port`. */
  setEndpoint(iface: string, publicKey: string, endpoint: string): Promise<void>;
}

/** How long one `wg` call may take before it and every process it started are killed. */
export const WG_TIMEOUT_MS = 10_000;

/** The real `wg`, found on PATH (or at `bin`); each call is killed with its children after `timeoutMs`. */
export function systemWg(bin = "wg", timeoutMs = WG_TIMEOUT_MS): Wg {
  const call = (args: string[]) => run(bin, args, timeoutMs);
  return {
    async show(iface) {
      const args = ["show", iface, "dump"];
      return parsed(bin, args, parseDump, await call(args));
    },
    async showAll() {
      const args = ["show", "all", "dump"];
      return parsed(bin, args, parseAllDump, await call(args));
    },
    async setEndpoint(iface, publicKey, endpoint) {
      await call(["set", iface, "peer", publicKey, "endpoint", endpoint]);
    },
  };
}

// --- internal ---

/** A dump that does not parse means `wg` itself misbehaves: an error that stops this interface. */
function parsed<T>(bin: string, args: string[], parse: (text: string) => T, stdout: string): T {
  try {
    return parse(stdout);
  } catch (error) {
    if (!(error instanceof DumpFormatError)) throw error;
    // NOTE: the output is never shown: a dump holds private keys.
    const message = `${bin} ${args.join(" ")} printed something that is not a dump (${error.message}); check that ${bin} is wireguard-tools' wg`;
    throw new WgCommandError(message, "failed", args, 0, "", { cause: error });
  }
}

/** After the group is killed, how long its pipes may stay open (a child that left the group). */
const DRAIN_MS = 1_000;

/** What one `wg` process gave: exit code, both outputs, and the spawn error if it never ran. */
interface Finished {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly cause?: NodeJS.ErrnoException;
}

async function run(bin: string, args: string[], timeoutMs: number): Promise<string> {
  // NOTE: stdout of `wg show dump` holds private keys; it goes to the parser only, never to errors.
  let timedOut = false;
  const result = await spawnGroup(bin, args, timeoutMs, () => {
    timedOut = true;
  });
  if (result.exitCode === 0 && !timedOut) return result.stdout;
  const stderr = result.stderr.trim();
  const outcome = { ...result, code: result.cause?.code, stderr, timedOut, timeoutMs };
  const [reason, message] = advice(bin, args, outcome);
  throw new WgCommandError(message, reason, args, result.exitCode, stderr, { cause: result.cause });
}

/**
 * Runs `bin` in its own process group, so that the timeout kills it and every child it started
 * (killing only `wg` left a child holding stdout, and the call waiting).
 * NOTE(perf): node:child_process, not execa: this is the one process of a no-op cron pass, and
 * loading execa costs more than the rest of the pass's own work.
 */
function spawnGroup(
  bin: string,
  args: string[],
  timeoutMs: number,
  onTimeout: () => void,
): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timers = [
      setTimeout(() => {
        onTimeout();
        killGroup(child.pid);
      }, timeoutMs),
      // A child that made its own session survives the kill; stop reading its pipes.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, timeoutMs + DRAIN_MS),
    ];
    let done = false;
    const finish = (exitCode: number | undefined, cause?: NodeJS.ErrnoException) => {
      if (done) return;
      done = true;
      for (const timer of timers) clearTimeout(timer);
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString("utf8");
      resolve({ exitCode, stdout: text(stdout), stderr: text(stderr), ...(cause && { cause }) });
    };
    // `error` without a PID: it never ran (ENOENT, EACCES). `close`: it ended and its pipes closed.
    child.once("error", (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish(undefined, error);
    });
    child.once("close", (code) => finish(code ?? undefined));
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group is already gone, nothing left to kill
  }
}

interface Outcome {
  readonly exitCode?: number | undefined;
  readonly stderr: string;
  readonly code?: string | undefined;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
}

function advice(bin: string, args: string[], result: Outcome): [WgCommandError["reason"], string] {
  const iface = args[1] ?? "";
  const stderr = result.stderr.trim();
  const cmd = `${bin} ${args[0]} ${iface}`;
  if (result.code === "ENOENT")
    return [
      "missing",
      `${bin} not found: install wireguard-tools (apt-get install wireguard-tools)`,
    ];
  if (result.timedOut)
    return [
      "failed",
      `${cmd} did not finish within ${seconds(result.timeoutMs)}; killed it and the processes it started`,
    ];
  if (/No such device|Unable to access interface/i.test(stderr))
    return ["not-up", `${iface} is not up (wg-quick up ${iface}); skipped`];
  if (/Operation not permitted|Permission denied/i.test(stderr)) {
    return ["permission", `${cmd}: permission denied; run as root (or with CAP_NET_ADMIN)`];
  }
  return ["failed", `${cmd} failed (exit ${result.exitCode ?? "?"})${stderr ? `: ${stderr}` : ""}`];
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
