/**
 * A notify socket the test owns, as systemd's: an AF_UNIX datagram socket with SO_PASSCRED, read
 * by a small python3 child (Node cannot read one), which prints each message as a JSON line with
 * the sender's PID from its credentials and the time it arrived.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** One sd_notify message: its fields, who sent it, when it arrived (ms, performance.now()). */
export interface NotifyMessage {
  readonly pid: number;
  readonly fields: ReadonlyMap<string, string>;
  readonly at: number;
}

/** The socket at `dir`/notify, and what arrived on it. */
export class NotifySocket {
  readonly messages: NotifyMessage[] = [];
  private buffered = "";

  private constructor(
    readonly path: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on("data", (chunk: Buffer) => {
      this.buffered += chunk.toString("utf8");
      const lines = this.buffered.split("\n");
      this.buffered = lines.pop() ?? "";
      for (const line of lines) this.messages.push(parse(line));
    });
  }

  /** Binds the socket; resolves once the reader listens. */
  static async open(dir: string): Promise<NotifySocket> {
    const path = join(dir, "notify");
    const child = spawn("python3", ["-c", READER, path], { stdio: ["ignore", "pipe", "inherit"] });
    const socket = new NotifySocket(path, child);
    for (let i = 0; i < 100 && socket.messages.length === 0; i++) await sleep(50);
    if (socket.messages[0]?.fields.get("LISTENING") !== "1") {
      child.kill("SIGKILL");
      throw new Error(`python3 did not bind ${path}`);
    }
    socket.messages.length = 0;
    return socket;
  }

  /** Waits (bounded) for a message whose field `name` matches; the message, or undefined. */
  async waitFor(
    name: string,
    value: RegExp,
    timeoutMs: number,
    from = 0,
  ): Promise<NotifyMessage | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (let i = 0; i < Math.ceil(timeoutMs / 50) + 1; i++) {
      const found = this.messages.slice(from).find((m) => value.test(m.fields.get(name) ?? ""));
      if (found !== undefined || performance.now() >= deadline) return found;
      await sleep(50);
    }
    return undefined;
  }

  /** The messages carrying `name` that arrived in [from, to] (performance.now() times). */
  carrying(name: string, from = 0, to = Number.POSITIVE_INFINITY): NotifyMessage[] {
    return this.messages.filter((m) => m.fields.has(name) && m.at >= from && m.at <= to);
  }

  close(): void {
    this.child.kill("SIGTERM");
  }
}

// --- internal ---

/** Binds argv[1], says LISTENING=1, then prints {pid, text} per datagram; closes passed fds. */
const READER = `
import array, json, os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
print(json.dumps({"pid": os.getpid(), "text": "LISTENING=1"}), flush=True)
while True:
    msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(64) + socket.CMSG_SPACE(12))
    pid = 0
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("iII", data[:12])[0]
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(data[: len(data) - len(data) % 4])
            for fd in fds:
                os.close(fd)
    print(json.dumps({"pid": pid, "text": msg.decode("utf-8", "replace")}), flush=True)
`;

function parse(line: string): NotifyMessage {
  const { pid, text } = JSON.parse(line) as { pid: number; text: string };
  const fields = new Map<string, string>();
  for (const field of text.split("\n")) {
    const eq = field.indexOf("=");
    if (eq > 0) fields.set(field.slice(0, eq), field.slice(eq + 1));
  }
  return { pid, fields, at: performance.now() };
}
