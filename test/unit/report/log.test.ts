import assert from "node:assert/strict";
import { test } from "node:test";
import type { Line } from "../../../src/report/format.js";
import { createLog, shown } from "../../../src/report/log.js";

const LEVELS: Line["level"][] = ["error", "warning", "change", "info"];

test("shown: info only when verbose, only errors when quiet, all but info by default", () => {
  const at = (v: "quiet" | "normal" | "verbose") => LEVELS.filter((l) => shown(l, v));
  assert.deepEqual(at("quiet"), ["error"]);
  assert.deepEqual(at("normal"), ["error", "warning", "change"]);
  assert.deepEqual(at("verbose"), LEVELS);
});

test("createLog: errors and warnings to err, the rest to out; JSON lines carry time and level", () => {
  const out: string[] = [];
  const err: string[] = [];
  const text = createLog("text", "verbose", {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  for (const level of LEVELS) text.line({ level, text: level });
  assert.deepEqual(err, ["error\n", "warning\n"]);
  assert.deepEqual(out, ["change\n", "info\n"]);
  const lines: string[] = [];
  const json = createLog(
    "json",
    "quiet",
    { stdout: (t) => lines.push(t), stderr: (t) => lines.push(t) },
    () => 0,
  );
  json.line({ level: "warning", text: "not shown" });
  json.line({ level: "error", text: "e" });
  assert.deepEqual(lines, ['{"time":"1970-01-01T00:00:00.000Z","level":"error","message":"e"}\n']);
});
