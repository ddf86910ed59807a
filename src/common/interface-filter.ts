/** Which interfaces the operator asked for (`--interface`/`interfaces`, `--exclude`/`exclude`). */
export interface InterfaceFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Whether a filter lets an interface through: in `include` (or no include list), not excluded. */
export function selects(filter: InterfaceFilter, iface: string): boolean {
  return (
    (filter.include.length === 0 || filter.include.includes(iface)) &&
    !filter.exclude.includes(iface)
  );
}

/** The filter that settings (with the command line's flags laid over them) describe. */
export function filterOf(settings: {
  readonly interfaces: readonly string[];
  readonly exclude: readonly string[];
}): InterfaceFilter {
  return { include: settings.interfaces, exclude: settings.exclude };
}
