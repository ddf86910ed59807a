import assert from "node:assert/strict";
import { test } from "node:test";
import { Fifo } from "../../../src/util/fifo.js";

test("Fifo gives items back in order, also across its compaction, and empties on clear()", () => {
  const fifo = new Fifo<number>();
  const out: number[] = [];
  for (let i = 0; i < 5000; i++) {
    fifo.push(i);
    if (i % 3 === 0) out.push(fifo.shift() as number);
  }
  for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) out.push(item);
  assert.deepEqual(
    out,
    Array.from({ length: 5000 }, (_, i) => i),
  );
  assert.equal(fifo.shift(), undefined);
  fifo.push(7);
  fifo.clear();
  assert.equal(fifo.shift(), undefined);
});
