import { join } from "node:path";
import { acquireLock, type Lock } from "./lock.js";

/** What holding the lock in a state folder came to. */
export type Hold =
  | { readonly kind: "held" }
  /** Taken again: the lock file was gone (its folder removed), or moved to a new stateDir. */
  | { readonly kind: "taken"; readonly moved: boolean }
  | { readonly kind: "refused"; readonly heldBy: number };

/** hold() as the service logs it: whether to go on, and the line to log, if any. */
export interface Kept {
  readonly held: boolean;
  readonly say?: { readonly level: "change" | "warning" | "error"; readonly text: string };
}

/**
 * The service's hold on the host-wide lock for its whole life. A cron run takes the lock only
 * for its pass; the service must keep it however the state folder fares: when the folder is
 * removed, the lock is created again at the next check (every poll and before every pass), and
 * when a reload names another stateDir, the lock moves there with the state.
 */
export class ServiceLock {
  /** hold() calls run one at a time: two at once would take the lock from each other. */
  private turn: Promise<unknown> = Promise.resolve();
  /** Why the lock is not held, as last said (said again only when it changes). */
  private refusal: string | undefined;

  private constructor(
    private lock: Lock,
    private dir: string,
  ) {}

  /** Takes the lock in `dir`, or says which live instance holds it. */
  static async acquire(dir: string): Promise<ServiceLock | { heldBy: number }> {
    const lock = await acquireLock(dir);
    return "heldBy" in lock ? lock : new ServiceLock(lock, dir);
  }

  /**
   * Makes sure this process holds the lock in `dir`: still in place, or taken again. Refused
   * when another live instance took it meanwhile (a cron run while the file was gone); the old
   * folder's lock is kept when a move is refused. Throws a StateError for an unusable folder.
   * Without `dir`, the folder the lock is in when this call's turn comes: a call queued before
   * a move does not take the lock back to the old folder.
   */
  hold(dir?: string): Promise<Hold> {
    const next = this.turn.then(() => this.holdNow(dir));
    this.turn = next.catch(() => undefined);
    return next;
  }

  /**
   * hold(), and what to log: the lock taken again or moved; or, once until it changes, why the
   * service makes no pass (another instance has the lock, or the folder cannot be used).
   */
  async keep(dir?: string): Promise<Kept> {
    let hold: Hold;
    try {
      hold = await this.hold(dir);
    } catch (error) {
      return this.refuse("error", `error: ${(error as Error).message}; no pass until it is fixed`);
    }
    const file = join(dir ?? this.dir, "lock");
    if (hold.kind === "refused") {
      const who = `another wg-endpoint-manager (PID ${hold.heldBy})`;
      return this.refuse("warning", `warning: ${who} holds ${file}; no pass until it is released`);
    }
    this.refusal = undefined;
    if (hold.kind === "held") return { held: true };
    const text = hold.moved
      ? `the lock moved with the state to ${file}`
      : `warning: ${file} was gone (the state folder removed?); holding it again`;
    return { held: true, say: { level: hold.moved ? "change" : "warning", text } };
  }

  release(): Promise<void> {
    return this.lock.release();
  }

  // --- internal ---

  private refuse(level: "warning" | "error", text: string): Kept {
    if (this.refusal === text) return { held: false };
    this.refusal = text;
    return { held: false, say: { level, text } };
  }

  private async holdNow(dir = this.dir): Promise<Hold> {
    if (dir === this.dir && (await this.lock.held())) return { kind: "held" };
    const next = await acquireLock(dir);
    if ("heldBy" in next) return { kind: "refused", heldBy: next.heldBy };
    const moved = dir !== this.dir;
    // Gone with its folder, the old lock is not released: its inode may be the new one's.
    if (moved) await this.lock.release();
    this.lock = next;
    this.dir = dir;
    return { kind: "taken", moved };
  }
}
