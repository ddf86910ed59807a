/**
 * Helpers for the end-to-end tests of the zero-argument cron run: one lab per test, the tool run
 * the way cron runs it (inside the client namespace, no arguments), and readable failure messages
 * that carry the tool's own output.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { formatEndpoint } from "../../../src/common/endpoint.js";
import {
  createLab,
  type ExecResult,
  type Lab,
  type LabOptions,
  labSkipReason,
} from "../lab/index.js";

const skipReason = await labSkipReason();

/** `test()` options: skipped (with the reason) where the lab cannot run. */
export const labOpts: { skip?: string } = skipReason === undefined ? {} : { skip: skipReason };

/**
 * Small settings so that a pass is quick: verification gives up after 4 s (the default 11 s
 * covers the 10 s passive keepalive; in the lab every check sends an echo that is answered at once).
 */
export const FAST = { verify: { timeoutMs: 4_000 } } as const;

/** Generous: how long a repaired tunnel may take to carry a ping again (handshake retry ~5 s). */
export const TUNNEL_WAIT = { timeoutMs: 10_000 } as const;

/** Builds a lab with the tool's settings, destroyed after the test whatever happens. */
export async function labFor(t: TestContext, options: LabOptions = {}): Promise<Lab> {
  const started = performance.now();
  const lab = await createLab({ ...options, toolConfig: { ...FAST, ...options.toolConfig } });
  t.after(() => lab.destroy());
  t.diagnostic(`lab ${lab.names.id} up in ${Math.round(performance.now() - started)} ms`);
  return lab;
}

/** Runs the tool as cron does (no arguments unless given) and logs what it said. */
export async function cron(
  t: TestContext,
  lab: Lab,
  args: readonly string[] = [],
): Promise<ExecResult> {
  const result = await lab.runTool(args, { timeoutMs: 60_000 });
  const timedOut = result.timedOut ? ", TIMED OUT" : "";
  t.diagnostic(
    `wg-endpoint-manager ${args.join(" ")} -> exit ${result.exitCode} in ${result.durationMs} ms${timedOut}`,
  );
  for (const line of result.stdout.split("\n").filter((l) => l !== ""))
    t.diagnostic(`  out: ${line}`);
  for (const line of result.stderr.split("\n").filter((l) => l !== ""))
    t.diagnostic(`  err: ${line}`);
  return result;
}

/** A run's exit code, duration and output, for diagnostics and assertion messages. */
export function show(result: ExecResult): string {
  const timedOut = result.timedOut ? ", TIMED OUT" : "";
  const out = result.stdout === "" ? "(none)" : `\n${indent(result.stdout)}`;
  const err = result.stderr === "" ? "(none)" : `\n${indent(result.stderr)}`;
  return `exit ${result.exitCode} in ${result.durationMs} ms${timedOut}; stdout: ${out}; stderr: ${err}`;
}

/** The lines of a run's stdout and stderr together (order within each stream kept). */
export function lines(result: ExecResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => line !== "");
}

/** The lines of `result` that contain `text`. */
export function linesWith(result: ExecResult, text: string): string[] {
  return lines(result).filter((line) => line.includes(text));
}

/**
 * The run exited 0, said once that it moved peer `index` from `from` to `to`, left it there, and
 * the tunnel carries traffic on it.
 */
export async function assertMoved(
  lab: Lab,
  result: ExecResult,
  from: string,
  to: string,
  index = 0,
): Promise<void> {
  assert.equal(result.exitCode, 0, show(result));
  assert.equal(linesWith(result, `moved ${from} -> ${to}`).length, 1, show(result));
  assert.equal(await lab.liveEndpoint(index), to);
  assert.ok(await lab.tunnelWorks(index, TUNNEL_WAIT), `tunnel works on ${to}`);
}

/** `a.b.c.d:port` / `[v6]:port` of server `index` at `address` (the lab's and wg's spelling). */
export function endpoint(lab: Lab, index: number, address: string): string {
  return formatEndpoint(address, lab.server(index).port);
}

/** `wg set IFACE peer KEY endpoint ENDPOINT`, as the tool prints it. */
export function wgSetLine(lab: Lab, index: number, to: string): string {
  return `wg set ${lab.interface} peer ${lab.server(index).publicKey} endpoint ${to}`;
}

/** The `IFACE peer KEY8 (host):` prefix of the tool's lines about server `index`. */
export function peerPrefix(lab: Lab, index: number): string {
  const server = lab.server(index);
  return `${lab.interface} peer ${server.publicKey.slice(0, 8)} (${server.hostname}):`;
}

/** The tool's state file as JSON (throws when it is missing or not JSON). */
export async function readState(lab: Lab): Promise<StateFile> {
  const text = await readFile(join(lab.stateDir, "state.json"), "utf8");
  return JSON.parse(text) as StateFile;
}

/** The parts of state.json these tests look at. */
export interface StateFile {
  readonly version: number;
  readonly peers: Readonly<Record<string, PeerStateFile | undefined>>;
}

export interface PeerStateFile {
  readonly failedUntil: Readonly<Record<string, number>>;
  readonly preferredAnsweringSince?: number;
  readonly last?: { readonly endpoint?: string; readonly action: string; readonly reason: string };
}

/** Server `index`'s entry in the state file. */
export function peerState(state: StateFile, lab: Lab, index: number): PeerStateFile | undefined {
  return state.peers[`${lab.interface}/${lab.server(index).publicKey}`];
}

/** Sleeps `ms` (bounded waits between runs, e.g. a hold-down). */
export function pause(ms: number): Promise<void> {
  return sleep(ms);
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
