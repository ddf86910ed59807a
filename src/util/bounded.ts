/** Runs `work` on every item, at most `limit` at a time; the first rejection rejects. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

/** A gate for work that arrives over time: at most `limit` tasks run at once, the rest queue. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    running--;
    queue.shift()?.();
  };
  return async (task) => {
    if (running >= Math.max(1, limit)) await new Promise<void>((go) => queue.push(go));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
