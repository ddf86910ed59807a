import type { Clock } from "../clock.js";

/**
 * Runs `task` on request, one at a time: requests that arrive while one is under way, or within
 * `gapMs` of its start, collapse into one more run after that gap. A storm of SIGHUPs then costs
 * at most two reloads per gap, however many signals came.
 */
export class Coalesced {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly clock: Clock,
    private readonly gapMs: number,
  ) {}

  /** Runs the task, or joins the run under way (then one more follows); resolves when done. */
  request(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** No run starts after this; one under way finishes. */
  stop(): void {
    this.stopped = true;
  }

  // --- internal ---

  private async loop(): Promise<void> {
    for (;;) {
      const started = this.clock.now();
      this.again = false;
      await this.task();
      if (!this.again || this.stopped) return;
      const wait = started + this.gapMs - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      if (this.stopped) return;
    }
  }
}
