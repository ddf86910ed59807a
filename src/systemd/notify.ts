import { fstatSync, writeSync } from "node:fs";

/** What systemd gave a Type=notify service (systemd.exec(5), sd_watchdog_enabled(3)). */
export interface NotifyEnv {
  /** A datagram socket connected to NOTIFY_SOCKET, opened by contrib/notify-fd. */
  readonly fd: number;
  /** WATCHDOG_USEC in ms, when the watchdog is on for this process. */
  readonly watchdogMs: number | undefined;
}

/**
 * Takes NOTIFY_SOCKET, NOTIFY_FD, WATCHDOG_USEC and WATCHDOG_PID out of `env`, as sd_notify(3)
 * does with unset_environment, so that no child sees them. Undefined when systemd does not
 * listen (cron, a terminal, Type=simple); a sentence when it listens but notify-fd did not run.
 */
export function takeNotifyEnv(
  env: NodeJS.ProcessEnv,
  pid: number,
  isSocket: (fd: number) => boolean = fdIsSocket,
): NotifyEnv | string | undefined {
  const socket = env["NOTIFY_SOCKET"];
  const fd = env["NOTIFY_FD"];
  const usec = Number(env["WATCHDOG_USEC"]);
  const watchdogPid = env["WATCHDOG_PID"];
  for (const name of NAMES) delete env[name];
  if (socket === undefined || socket === "") return undefined;
  if (fd === undefined || !/^\d{1,4}$/.test(fd) || !isSocket(Number(fd)))
    return `NOTIFY_SOCKET is set, but NOTIFY_FD names no socket: start watch through ${NOTIFY_FD_PROGRAM}, as the unit does; systemd gets no READY, STATUS or watchdog ping`;
  const forUs = watchdogPid === undefined || Number(watchdogPid) === pid;
  const on = forUs && Number.isSafeInteger(usec) && usec > 0;
  return { fd: Number(fd), watchdogMs: on ? Math.max(1, Math.floor(usec / 1000)) : undefined };
}

/** Where the package installs contrib/notify-fd. */
const NOTIFY_FD_PROGRAM = "/usr/lib/wg-endpoint-manager/notify-fd";

/**
 * Sends sd_notify messages (`READY=1`, `STATUS=...`, `WATCHDOG=1`) as one datagram each, written
 * on the notify socket that notify-fd left open. The write comes from the main PID, so the unit
 * keeps NotifyAccess=main. The socket is non-blocking: when systemd's queue is full the message
 * is dropped, as sd_notify(3)'s MSG_DONTWAIT does (the next watchdog tick sends again).
 *
 * NOTE: Node has no AF_UNIX datagram socket of its own; writing to a connected one works.
 */
export class Notifier {
  private failing = false;

  constructor(
    private readonly fd: number,
    /** Called with a sentence when a write fails (once until one works again). */
    private readonly onError: (message: string) => void,
    private readonly write: (fd: number, text: string) => void = (fd, text) => {
      writeSync(fd, text);
    },
  ) {}

  /** Sends `fields` (`{ READY: "1", STATUS: "..." }`) to systemd in one message. */
  send(fields: Readonly<Record<string, string>>): void {
    const text = Object.entries(fields)
      .map(([key, value]) => `${key}=${oneLine(value)}`)
      .join("\n");
    try {
      this.write(this.fd, text);
      this.failing = false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN" || this.failing) return;
      this.failing = true;
      this.onError(`cannot notify systemd (${(error as Error).message})`);
    }
  }
}

// --- internal ---

const NAMES = ["NOTIFY_SOCKET", "NOTIFY_FD", "WATCHDOG_USEC", "WATCHDOG_PID"];

function fdIsSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

/** One field per line is the protocol: a newline would start another field. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}
