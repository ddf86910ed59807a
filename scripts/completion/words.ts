import { OPTIONS, type OptionSpec, type OptionValue } from "../../src/cli/options.js";

/** An option as the completions see it: its spellings and what its value is. */
export interface CompletedOption {
  readonly long: string;
  readonly short: string | undefined;
  readonly spec: OptionSpec;
}

/** Every option of the command line, in OPTIONS' order. */
export function completedOptions(): CompletedOption[] {
  return Object.entries(OPTIONS).map(([name, spec]: [string, OptionSpec]) => ({
    long: `--${name}`,
    short: spec.short === undefined ? undefined : `-${spec.short}`,
    spec,
  }));
}

/** Every spelling: `--config-dir`, ..., `-i`, ... */
export function optionWords(): string[] {
  const options = completedOptions();
  return [
    ...options.map((o) => o.long),
    ...options.flatMap((o) => (o.short === undefined ? [] : [o.short])),
  ];
}

/** The spellings of the options whose value is `value`. */
export function spellingsOf(test: (value: OptionValue | undefined) => boolean): string[] {
  return completedOptions()
    .filter((o) => test(o.spec.value))
    .flatMap((o) => (o.short === undefined ? [o.long] : [o.short, o.long]));
}

/** The first line of each generated script. */
export function header(shell: string): string {
  return `${shell} completion for wg-endpoint-manager. Made by \`npm run generate\` from src/cli/options.ts: do not edit.`;
}

/** The folder the interface names come from when the line has no --config-dir. */
export const DEFAULT_CONFIG_DIR = "/etc/wireguard";
