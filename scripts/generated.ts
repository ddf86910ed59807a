import { settingsJsonSchema } from "../src/settings/json-schema.js";

/** Each generated file (relative to the repository), and what it must hold. */
export const GENERATED: Readonly<Record<string, () => string>> = {
  "contrib/config.schema.json": () => `${JSON.stringify(settingsJsonSchema(), null, 2)}\n`,
};
