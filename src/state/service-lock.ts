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
  readonly say?: { readonly warning: boolean; readonly text: string };
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
  /** The PID of the instance that took the lock meanwhile, once said. */
  private refusedBy: number | undefined;

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

  /**
   * hold(), and what to log: the lock taken again or moved, or (once per holder) that another
   * instance has it, in which case the service makes no pass until it is released.
   */
  async keep(dir: string): Promise<Kept> {
    const hold = await this.hold(dir);
    if (hold.kind !== "refused") this.refusedBy = undefined;
    const file = join(dir, "lock");
    if (hold.kind === "held") return { held: true };
    if (hold.kind === "taken" && hold.moved)
      return {
        held: true,
        say: { warning: false, text: `the lock moved with the state to ${file}` },
      };
    if (hold.kind === "taken") {
      const text = `warning: ${file} was gone (the state folder removed?); holding it again`;
      return { held: true, say: { warning: true, text } };
    }
    if (this.refusedBy === hold.heldBy) return { held: false };
    this.refusedBy = hold.heldBy;
    const text = `warning: another wg-endpoint-manager (PID ${hold.heldBy}) holds ${file}; no pass until it is released`;
    return { held: false, say: { warning: true, text } };
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
