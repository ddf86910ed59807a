import { favourMemory } from "../util/favour-memory.js";
import { commandLineOrUndefined, leanRun, poolSizeFor } from "./thread-pool.js";

// The CLI proper, loaded by bin.ts (through V8's code cache when it can).
// getaddrinfo runs on libuv's thread pool (4 threads by default): widen it for many hostnames,
// and only then (NOTE(perf): every thread is started at the pool's first use and joined at exit).
// It must be set before anything uses the pool, hence before main is imported.
const argv = process.argv.slice(2);
const args = commandLineOrUndefined(argv);
const pool = poolSizeFor(args);
process.env["UV_THREADPOOL_SIZE"] ??= String(pool);
// The service, and a pass over many names, run without V8's optimizing compiler and keep its
// heap small; see favourMemory.
const lean = leanRun(args, pool);
if (lean !== undefined) favourMemory(lean);
// No top-level await: the bundle (scripts/bundle.ts) is CommonJS, which starts faster.
void import("./main.js").then(async ({ main }) => {
  const { processIo } = await import("./io.js");
  const code = await main(argv, processIo());
  // The run is over: flush and go, whatever is still pending. NOTE: node still finishes the
  // thread-pool work already queued before it exits (getaddrinfo cannot be cancelled), so
  // resolve/lookup-gate.ts never queues more lookups than the pool runs at once.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
});

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
