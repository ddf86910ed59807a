import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { stateDirReady, writeAtomically } from "./dir.js";
import { errnoText } from "./errors.js";
import { EMPTY_STATE, type State, validateState } from "./shape.js";

/** A loaded state, a warning when part or all of the file was unusable, and the file's text. */
export interface LoadedState {
  readonly state: State;
  readonly warning?: string;
  /** The text read, for saveState() to skip a write that would change nothing. */
  readonly text?: string;
  /** `FILE: REASON` when the file exists but cannot be read (permission denied, say). */
  readonly unreadable?: string;
}

/**
 * Reads the state. A missing folder or file is empty. A corrupt file is empty plus a warning;
 * entries of the wrong shape are dropped with one warning. A state folder that is unsafe (see
 * stateDirReady) is a StateError.
 */
export async function loadState(dir: string): Promise<LoadedState> {
  if (!(await stateDirReady(dir, false))) return { state: EMPTY_STATE };
  const file = stateFile(dir);
  let text: string;
  try {
    text = await readStateText(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: EMPTY_STATE };
    const warning = `${file}: cannot read (${errnoText(error)}); starting with empty state`;
    return { state: EMPTY_STATE, warning, unreadable: `${file}: ${readError(error)}` };
  }
  const checked = validateState(parseJson(text));
  if (checked === undefined)
    return { state: EMPTY_STATE, warning: `${file}: empty or corrupt; starting with empty state` };
  if (checked.dropped.length === 0) return { state: checked.state, text };
  return { state: checked.state, warning: droppedWarning(file, checked.dropped) };
}

/**
 * Writes the state atomically (a new file with a random name, fsync, rename), unless its text
 * equals `unchangedText` (the text loadState read). The fsync is never left out: a rename over
 * the old file of data not yet on disk can leave an empty file after a power cut (XFS, ext4
 * with noauto_da_alloc), and the failure holds would be lost. Failures are a StateError that
 * names the file.
 */
export async function saveState(dir: string, state: State, unchangedText?: string): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  if (text === unchangedText) return;
  await stateDirReady(dir, true);
  await writeAtomically(stateFile(dir), text);
}

/** Parses a state file's text; undefined when it is not a state this version understands. */
export function parseState(text: string): State | undefined {
  return validateState(parseJson(text))?.state;
}

/** The path of the state file in a state folder. */
export function stateFile(dir: string): string {
  return join(dir, "state.json");
}

// --- internal ---

/** How many dropped entries the warning names; the rest are counted. */
const NAMED = 3;

function droppedWarning(file: string, dropped: readonly string[]): string {
  const named = dropped.slice(0, NAMED).join("; ");
  const more = dropped.length > NAMED ? `; and ${dropped.length - NAMED} more` : "";
  const entries = dropped.length === 1 ? "1 entry" : `${dropped.length} entries`;
  return `${file}: dropped ${entries} of the wrong shape (${named}${more}); the next pass learns them again`;
}

/** Why the file could not be read, in a few words (no advice: `status --check` shows it). */
function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" ? "permission denied" : errnoText(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The file's text, never following a symbolic link nor blocking on a FIFO. */
async function readStateText(file: string): Promise<string> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(file, flags);
  try {
    if (!(await handle.stat()).isFile())
      throw Object.assign(new Error("not a regular file"), { code: "EINVAL" });
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}
