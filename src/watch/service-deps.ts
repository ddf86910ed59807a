import type { Clock } from "../clock.js";
import type { InterfaceTraffic } from "../observe/netdev.js";
import type { PassDeps } from "../pass/reconcile.js";
import type { TtlLookup } from "../resolve/ttl.js";
import type { Settings } from "../settings/schema.js";
import type { Log } from "./log.js";
import type { Hold } from "./service-lock.js";

/** What the service needs from outside; the unit tests give fakes for each. */
export interface ServiceDeps {
  readonly clock: Clock;
  readonly log: Log;
  /** Makes the side effects of passes for given settings; close() is called when replaced. */
  readonly makePassDeps: (settings: Settings) => PassDeps & { close(): void };
  /** Starts watching files; the returned function stops it. */
  readonly watchFiles: (
    paths: readonly string[],
    onChange: (event: FileEvent) => void,
  ) => Promise<() => Promise<void>>;
  /** Reads the settings again (settings file changed, SIGHUP); throws SettingsError if bad. */
  readonly loadSettings: () => Promise<Settings>;
  /** An interface's netdev counters (observe/netdev.ts); undefined if unreadable. */
  readonly interfaceTraffic: (iface: string) => Promise<InterfaceTraffic | undefined>;
  /** DNS TTLs of the Endpoint hostnames (resolve/ttl.ts), given the DNS timeout. */
  readonly dnsTtl: (timeoutMs: number) => TtlLookup;
  /** The lock the service holds for its life (service-lock.ts); absent in tests without one. */
  readonly lock?: { hold(dir: string): Promise<Hold> };
}

/** A change chokidar saw. */
export interface FileEvent {
  readonly kind: "add" | "change" | "unlink";
  readonly path: string;
}
