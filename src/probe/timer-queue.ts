/** Something waiting for a moment (performance.now() milliseconds) that may change as it goes. */
export interface Due {
  /** When `fire` should run next; read each time the item is queued. */
  at: number;
}

/**
 * One timer for any number of waiting items: a binary min-heap on `at`, so that thousands of
 * probes cost one Node.js timer instead of one (or three) each. `fire(item, now)` runs for every
 * item whose time has come; it may queue the item again with a later `at`.
 */
export class TimerQueue<T extends Due> {
  private readonly heap: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;

  constructor(private readonly fire: (item: T, now: number) => void) {}

  /** Waits for `item.at`. */
  add(item: T): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as T).at <= item.at) break;
      heap[i] = heap[parent] as T;
      i = parent;
    }
    heap[i] = item;
    if (item.at < this.armedAt) this.arm();
  }

  /** How many items wait. */
  get size(): number {
    return this.heap.length;
  }

  /** Forgets every item and stops the timer. */
  clear(): void {
    this.heap.length = 0;
    this.disarm();
  }

  // --- internal ---

  private arm(): void {
    this.disarm();
    const top = this.heap[0];
    if (top === undefined) return;
    this.armedAt = top.at;
    this.timer = setTimeout(() => this.run(), Math.max(0, top.at - performance.now()));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private run(): void {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    // NOTE: Node.js may fire a timer up to 1 ms early in performance.now() terms.
    while (this.heap.length > 0 && (this.heap[0] as T).at <= now + 1) this.fire(this.pop(), now);
    if (this.heap.length > 0 && this.timer === undefined) this.arm();
  }

  private pop(): T {
    const heap = this.heap;
    const top = heap[0] as T;
    const last = heap.pop() as T;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as T).at < (heap[left] as T).at ? right : left;
      if ((heap[child] as T).at >= last.at) break;
      heap[i] = heap[child] as T;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
