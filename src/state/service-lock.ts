import { join } from "node:path";
import { acquireLock, type Lock } from "./lock.js";

/** What holding the lock in a state folder came to. */
export type Hold =
  | { readonly kind: "held" }
  /** Taken again: the lock file was gone (its folder removed), or moved to a new stateDir. */
  | { readonly kind: "taken"; readonly moved: boolean }
  | { readonly kind: "refused"; readonly heldBy: number };

/**
 * The service's hold on the host-wide lock for its whole life. A cron run takes the lock only
 * for its pass; the service must keep it however the state folder fares: when the folder is
 * removed, the lock is created again at the next check (every poll and before every pass), and
 * when a reload names another stateDir, the lock moves there with the state.
 */
export class ServiceLock {
  /** hold() calls run one at a time: two at once would take the lock from each other. */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private lock: Lock,
    private dir: string,
  ) {}

  /** Takes the lock in `dir`, or says which live instance holds it. */
  static async acquire(dir: string): Promise<ServiceLock | { heldBy: number }> {
    const lock = await acquireLock(dir);
    return "heldBy" in lock ? lock : new ServiceLock(lock, dir);
  }

  /** The lock file, as a message names it. */
  get file(): string {
    return join(this.dir, "lock");
  }

  /**
   * Makes sure this process holds the lock in `dir`: still in place, or taken again. Refused
   * when another live instance took it meanwhile (a cron run while the file was gone); the old
   * folder's lock is kept when a move is refused. Throws a StateError for an unusable folder.
   */
  hold(dir: string): Promise<Hold> {
    const next = this.turn.then(() => this.holdNow(dir));
    this.turn = next.catch(() => undefined);
    return next;
  }

  release(): Promise<void> {
    return this.lock.release();
  }

  // --- internal ---

  private async holdNow(dir: string): Promise<Hold> {
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
