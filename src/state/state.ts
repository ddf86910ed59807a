import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";

/** What the last passes learnt about one peer; read by decide() and by `status`. */
export interface PeerState {
  readonly failedUntil: Readonly<Record<string, number>>;
  readonly preferredAnsweringSince?: number | undefined;
  readonly lastSwitch?: {
    readonly at: number;
    readonly from: string | undefined;
    readonly to: string;
    readonly reason: string;
  };
  readonly last?: PeerSnapshot;
}

/** The latest observation and decision for a peer, for `status`. */
export interface PeerSnapshot {
  readonly at: number;
  readonly hostname: string;
  readonly endpoint: string | undefined;
  readonly latestHandshake: number;
  readonly candidates: readonly {
    readonly address: string;
    readonly alive: boolean;
    readonly rttMs?: number | undefined;
    readonly error?: string | undefined;
  }[];
  readonly action: string;
  readonly reason: string;
}

/** The whole state file: peers keyed by `iface/publicKey`. */
export interface State {
  readonly version: 1;
  readonly peers: Readonly<Record<string, PeerState>>;
}

export const EMPTY_STATE: State = { version: 1, peers: {} };

/** The key of a peer in the state file. */
export function peerKey(iface: string, publicKey: string): string {
  return `${iface}/${publicKey}`;
}

/** Reads the state; a missing file is empty, an unreadable or corrupt one is empty plus a warning. */
export async function loadState(dir: string): Promise<{ state: State; warning?: string }> {
  const file = stateFile(dir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: EMPTY_STATE };
    return {
      state: EMPTY_STATE,
      warning: `${file}: cannot read (${(error as Error).message}); starting with empty state`,
    };
  }
  const state = parseState(text);
  if (state === undefined)
    return { state: EMPTY_STATE, warning: `${file}: empty or corrupt; starting with empty state` };
  return { state };
}

/** Writes the state atomically: a temporary file, fsync, then rename over the old one. */
export async function saveState(dir: string, state: State): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = stateFile(dir);
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/** Parses a state file's text; undefined when it is not a state this version understands. */
export function parseState(text: string): State | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return undefined;
    const { version, peers } = value as { version?: unknown; peers?: unknown };
    if (version !== 1 || typeof peers !== "object" || peers === null || Array.isArray(peers))
      return undefined;
    return { version: 1, peers: peers as Record<string, PeerState> };
  } catch {
    return undefined;
  }
}

/** The path of the state file in a state folder. */
export function stateFile(dir: string): string {
  return join(dir, "state.json");
}
