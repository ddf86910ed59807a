import { systemClock } from "../clock.js";
import { parseEndpoint } from "../discover/endpoint.js";
import { isWireGuardKey } from "../discover/parse-conf.js";
import type { InterfaceConfig } from "../model.js";
import { cachedWg } from "../observe/dump-cache.js";
import { hostFamilies } from "../observe/host.js";
import { systemWg } from "../observe/wg.js";
import type { PassDeps } from "../pass/pass.js";
import { rawPinger } from "../probe/icmp.js";
import { systemPinger } from "../probe/system-ping.js";
import { systemResolver } from "../resolve/dns.js";
import type { Settings } from "../settings/schema.js";
import { tunnelChecker } from "../verify/verify.js";
import { type Args, UsageError } from "./args.js";

/** The real side effects of a pass; close() releases the ICMP sockets. */
export function systemDeps(settings: Settings): PassDeps & { close(): void } {
  const wg = cachedWg(systemWg(), 150, systemClock.now);
  const pinger = rawPinger();
  return {
    wg,
    resolve: systemResolver(settings.dns.timeoutMs),
    pinger,
    fallbackPinger: () => systemPinger(),
    check: tunnelChecker(wg, pinger, systemClock, settings.verify.timeoutMs),
    clock: systemClock,
    hostFamilies,
    close: () => pinger.close(),
  };
}

/** The one peer named by the original script's flags, as if it were a config file. */
export function singlePeer(args: Args): InterfaceConfig {
  const single = args.single;
  const iface = args.interfaces[0];
  if (single === undefined || iface === undefined)
    throw new UsageError("--peer needs --interface, --host and --port");
  if (!isWireGuardKey(single.peer))
    throw new UsageError(`--peer ${single.peer}: expected a 44-character base64 public key`);
  const endpoint = parseEndpoint(
    `${single.host.includes(":") ? `[${single.host}]` : single.host}:${single.port}`,
  );
  if (typeof endpoint === "string")
    throw new UsageError(`--host ${single.host} --port ${single.port}: ${endpoint}`);
  const at = { file: "(command line)" };
  return {
    iface,
    file: at.file,
    saveConfig: false,
    problems: [],
    peers: [{ iface, publicKey: single.peer, endpoint, allowedIps: [], at }],
  };
}
