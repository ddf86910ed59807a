import { settingsJsonSchema } from "../src/settings/json-schema.js";
import { bashCompletion } from "./completion/bash.js";
import { fishCompletion } from "./completion/fish.js";
import { zshCompletion } from "./completion/zsh.js";

/** Each generated file (relative to the repository), and what it must hold. */
export const GENERATED: Readonly<Record<string, () => string>> = {
  "contrib/config.schema.json": () => `${JSON.stringify(settingsJsonSchema(), null, 2)}\n`,
  "contrib/completions/wg-endpoint-manager.bash": bashCompletion,
  "contrib/completions/_wg-endpoint-manager": zshCompletion,
  "contrib/completions/wg-endpoint-manager.fish": fishCompletion,
};
