import { filterOf } from "../common/interface-filter.js";
import type { Line } from "../report/format.js";
import { type StatusRow, statusLines, statusRows } from "../report/status.js";
import type { Settings } from "../settings/schema.js";
import { loadState } from "../state/state.js";

/** What the passes kept, for `status`: lines to print and the `--json` document. */
export async function readStatus(
  settings: Settings,
  now: number,
): Promise<{ lines: Line[]; json: object; rows: StatusRow[]; unreadable?: string }> {
  const { state, warning, unreadable } = await loadState(settings.stateDir);
  const rows = statusRows(state, filterOf(settings));
  const lines: Line[] = [
    ...(warning ? [{ level: "warning" as const, text: `warning: ${warning}` }] : []),
    ...statusLines(rows, settings.stateDir, now).map((text) => ({
      level: "change" as const,
      text,
    })),
  ];
  return { lines, json: rows, rows, ...(unreadable !== undefined ? { unreadable } : {}) };
}
