/**
 * An independent judge of JSON Schema: python3-jsonschema (Debian's, draft 2020-12), run once
 * for a batch of documents. The tests compare its verdicts with the tool's own validator.
 */
import { spawnSync } from "node:child_process";

/** Whether each document is valid by `schema`; throws when the schema itself is not valid. */
export function judgeBySchema(schema: unknown, documents: readonly unknown[]): boolean[] {
  const result = spawnSync("python3", ["-c", JUDGE], {
    input: JSON.stringify({ schema, documents }),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0)
    throw new Error(`python3-jsonschema failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as boolean[];
}

// --- internal ---

const JUDGE = `
import json, sys
from jsonschema import Draft202012Validator
given = json.load(sys.stdin)
Draft202012Validator.check_schema(given["schema"])
validator = Draft202012Validator(given["schema"])
print(json.dumps([validator.is_valid(d) for d in given["documents"]]))
`;
