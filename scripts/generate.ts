// Writes the files made from the code's own definitions, which the package ships and the tests
// compare with what the code makes now, byte for byte (`npm run generate` after changing a
// setting or an option; biome leaves the schema as JSON.stringify writes it):
//   contrib/config.schema.json   the settings file's JSON Schema (src/settings/json-schema.ts)
//   contrib/completions/         bash, zsh and fish completion (scripts/completion/, src/cli/options.ts)
import { writeFile } from "node:fs/promises";
import { GENERATED } from "./generated.js";

for (const [file, text] of Object.entries(GENERATED)) {
  await writeFile(file, text());
  console.log(`wrote ${file}`);
}
