// The part of js-yaml 4 that the settings loader uses (the package ships no types).
declare module "js-yaml" {
  export interface Schema {
    readonly __schema: unique symbol;
  }
  /** YAML 1.2 core: null, booleans, numbers, strings; no timestamps, binary or merge keys. */
  export const CORE_SCHEMA: Schema;
  export interface LoadOptions {
    schema?: Schema;
    json?: boolean;
  }
  export function load(text: string, options?: LoadOptions): unknown;
  export class YAMLException extends Error {
    readonly reason: string;
    readonly mark?: { readonly line: number; readonly column: number };
  }
}
