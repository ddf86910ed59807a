// The state file's shape: its types, and the check a file read from disk must pass.

import { markControls } from "../common/redact.js";

/**
 * The one state version this tool reads and writes: exactly the shape below. A file of any other
 * version is treated as corrupt (empty state and a warning); there are no older shapes to read.
 */
export const STATE_VERSION = 1;

/**
 * What the passes remember of one peer: what decide() needs (holds, answering streaks), the
 * counters of the metrics and the last snapshot that `status` shows.
 */
export interface PeerState {
  /** Endpoints that failed WireGuard verification, with the time (ms) they may be tried again. */
  readonly failedUntil: Readonly<Record<string, number>>;
  /** Since when (ms) the preferred family has had an answering address, without a break. */
  readonly preferredAnsweringSince?: number | undefined;
  /** Peers with fallbacks: since when (ms) the peer's own Endpoint has answered, without a break. */
  readonly primaryAnsweringSince?: number | undefined;
  readonly lastSwitch?: {
    readonly at: number;
    readonly from: string | undefined;
    readonly to: string;
    readonly reason: string;
  };
  /** Since when (ms) the live endpoint has been in place: its move, or when first seen there. */
  readonly endpointSince?: number | undefined;
  /** Endpoint moves this tool made (passes that left the peer elsewhere), ever: a counter. */
  readonly changes?: number | undefined;
  /** WireGuard verifications that failed, ever: a counter. */
  readonly verifyFailures?: number | undefined;
  readonly last?: PeerSnapshot;
}

/** The latest observation and decision for a peer, for `status`. */
export interface PeerSnapshot {
  readonly at: number;
  readonly hostname: string;
  readonly endpoint: string | undefined;
  /** The fallback (settings) the endpoint is on; absent when on the peer's own Endpoint. */
  readonly fallback?: { readonly number: number; readonly endpoint: string } | undefined;
  readonly latestHandshake: number;
  /** What each address gave to ping in that pass. */
  readonly probes: readonly {
    readonly address: string;
    readonly alive: boolean;
    readonly rttMs?: number | undefined;
    readonly error?: string | undefined;
  }[];
  readonly action: string;
  readonly reason: string;
  /** Whether the pass left the peer on a working endpoint (pass/peer-state.ts, peerUp). */
  readonly up: boolean;
  /** Why DNS failed in this pass, if it did. */
  readonly dnsError?: string | undefined;
  /** The file (and line) the peer was read from, and which kind of file it is; absent in old files. */
  readonly file?: string | undefined;
  readonly source?: string | undefined;
}

/** The whole state file: peers keyed by `iface/publicKey`. */
export interface State {
  readonly version: typeof STATE_VERSION;
  readonly peers: Readonly<Record<string, PeerState>>;
}

/** The state before any pass. */
export const EMPTY_STATE: State = { version: STATE_VERSION, peers: {} };

/** A state read by shape: the valid entries, and what was wrong with the dropped ones. */
export interface ValidatedState {
  readonly state: State;
  /** One `iface/KEY8…: path: expected …` per dropped entry. */
  readonly dropped: readonly string[];
}

/**
 * Checks a parsed state file by shape, entry by entry: an entry of the wrong shape is dropped
 * (it only holds what the next pass learns again), the others are kept. Undefined when the value
 * is not a state of this version at all.
 */
export function validateState(value: unknown): ValidatedState | undefined {
  if (!isObject(value) || value["version"] !== STATE_VERSION || !isObject(value["peers"]))
    return undefined;
  const peers: Record<string, PeerState> = {};
  const dropped: string[] = [];
  for (const [key, entry] of Object.entries(value["peers"])) {
    const problem = keyProblem(key) ?? peerProblem(entry);
    if (problem === undefined) peers[key] = entry as PeerState;
    else dropped.push(`${label(key)}: ${problem}`);
  }
  return { state: { version: STATE_VERSION, peers }, dropped };
}

// --- internal ---

/** What is wrong at a path inside an entry (`last.probes.0.alive`), or undefined. */
interface Wrong {
  readonly at: readonly (string | number)[];
  readonly expected: string;
}

type Rule = (value: unknown) => Wrong | undefined;

const expect =
  (expected: string, ok: (v: unknown) => boolean): Rule =>
  (v) =>
    ok(v) ? undefined : { at: [], expected };

const number = expect("a number", (v) => typeof v === "number" && Number.isFinite(v));
const string = expect("a string", (v) => typeof v === "string");
const count = expect("a whole number", (v) => Number.isSafeInteger(v) && (v as number) >= 0);
const boolean = expect("true or false", (v) => typeof v === "boolean");

/** Absent, null (JSON of undefined in a list) or valid. */
const optional =
  (check: Rule): Rule =>
  (v) =>
    v === undefined || v === null ? undefined : check(v);

const inside = (key: string | number, wrong: Wrong | undefined): Wrong | undefined =>
  wrong && { at: [key, ...wrong.at], expected: wrong.expected };

/** An object whose named fields pass their checks (other fields are ignored). */
function record(fields: Readonly<Record<string, Rule>>): Rule {
  return (value) => {
    if (!isObject(value)) return { at: [], expected: "an object" };
    for (const [name, check] of Object.entries(fields)) {
      const wrong = inside(name, check(value[name]));
      if (wrong !== undefined) return wrong;
    }
    return undefined;
  };
}

/** A list whose items pass `check`. */
function list(check: Rule): Rule {
  return (value) => {
    if (!Array.isArray(value)) return { at: [], expected: "a list" };
    for (const [index, item] of value.entries()) {
      const wrong = inside(index, check(item));
      if (wrong !== undefined) return wrong;
    }
    return undefined;
  };
}

/** An object whose every value passes `check` (failedUntil: address -> time). */
function map(check: Rule): Rule {
  return (value) => {
    if (!isObject(value)) return { at: [], expected: "an object" };
    for (const [key, item] of Object.entries(value)) {
      const wrong = inside(key, check(item));
      if (wrong !== undefined) return wrong;
    }
    return undefined;
  };
}

const snapshot = record({
  at: number,
  hostname: string,
  endpoint: optional(string),
  fallback: optional(record({ number, endpoint: string })),
  latestHandshake: number,
  probes: list(
    record({ address: string, alive: boolean, rttMs: optional(number), error: optional(string) }),
  ),
  action: string,
  reason: string,
  up: boolean,
  dnsError: optional(string),
  file: optional(string),
  source: optional(string),
} satisfies Record<keyof PeerSnapshot, Rule>);

const peerState = record({
  failedUntil: map(number),
  preferredAnsweringSince: optional(number),
  primaryAnsweringSince: optional(number),
  lastSwitch: optional(record({ at: number, from: optional(string), to: string, reason: string })),
  endpointSince: optional(number),
  changes: optional(count),
  verifyFailures: optional(count),
  last: optional(snapshot),
} satisfies Record<keyof PeerState, Rule>);

function peerProblem(entry: unknown): string | undefined {
  const wrong = peerState(entry);
  if (wrong === undefined) return undefined;
  const at = wrong.at.map((part) => markControls(String(part).slice(0, 40))).join(".");
  return at === "" ? `expected ${wrong.expected}` : `${at}: expected ${wrong.expected}`;
}

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  return slash > 0 && slash < key.length - 1 ? undefined : "not of the form IFACE/PUBLICKEY";
}

/** `iface/KEY8…`: enough to find the entry, never a whole key, no control characters. */
function label(key: string): string {
  const slash = key.indexOf("/");
  const [iface, rest] = slash < 0 ? ["", key] : [key.slice(0, slash), key.slice(slash + 1)];
  const head = markControls(iface.slice(0, 16));
  return `${head}${slash < 0 ? "" : "/"}${markControls(rest.slice(0, 8))}${rest.length > 8 ? "…" : ""}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
