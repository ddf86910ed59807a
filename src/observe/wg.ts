import type { LivePeer } from "../model.js";
import { parseAllDump, parseDump } from "./parse-dump.js";

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

/** The real `wg`, found on PATH (or at `bin`). */
export function systemWg(bin = "wg"): Wg {
  return {
    async show(iface) {
      return parseDump(await run(bin, ["show", iface, "dump"]));
    },
    async showAll() {
      return parseAllDump(await run(bin, ["show", "all", "dump"]));
    },
    async setEndpoint(iface, publicKey, endpoint) {
      await run(bin, ["set", iface, "peer", publicKey, "endpoint", endpoint]);
    },
  };
}

// --- internal ---

async function run(bin: string, args: string[]): Promise<string> {
  // execa is loaded on first use: commands that never run `wg` (status, --help) start faster.
  const { execa } = await import("execa");
  // NOTE: stdout of `wg show dump` holds private keys; it goes to the parser only, never to errors.
  const result = await execa(bin, args, {
    reject: false,
    timeout: 10_000,
    stripFinalNewline: false,
    env: { LC_ALL: "C" },
  });
  if (result.exitCode === 0) return result.stdout;
  const stderr = result.stderr.trim();
  const [reason, message] = advice(bin, args, result);
  throw new WgCommandError(message, reason, args, result.exitCode, stderr, { cause: result.cause });
}

interface Outcome {
  readonly exitCode?: number | undefined;
  readonly stderr: string;
  readonly code?: string | undefined;
  readonly timedOut: boolean;
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
  if (result.timedOut) return ["failed", `${cmd} did not answer within 10 s`];
  if (/No such device|Unable to access interface/i.test(stderr))
    return ["not-up", `${iface} is not up (wg-quick up ${iface}); skipped`];
  if (/Operation not permitted|Permission denied/i.test(stderr)) {
    return ["permission", `${cmd}: permission denied; run as root (or with CAP_NET_ADMIN)`];
  }
  return ["failed", `${cmd} failed (exit ${result.exitCode ?? "?"})${stderr ? `: ${stderr}` : ""}`];
}
