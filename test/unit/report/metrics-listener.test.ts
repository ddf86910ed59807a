import assert from "node:assert/strict";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { renderOncePerPass, startMetricsServer } from "../../../src/report/metrics-listener.js";

// On 127.0.0.1 with a port the kernel picks: loopback only.

const source = {
  contentType: "text/plain; version=0.0.4; charset=utf-8",
  render: async () => Buffer.from("a 1\n"),
};

function fetchText(address: string, path: string, method = "GET") {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(":")),
    address.slice(address.lastIndexOf(":") + 1),
  ];
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request({ host, port: Number(port), path, method, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

test("GET /metrics answers the text; other paths 404; other methods 405", async () => {
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0 }, source);
  try {
    assert.match(server.address, /^127\.0\.0\.1:\d+$/);
    assert.deepEqual(await fetchText(server.address, "/metrics"), {
      status: 200,
      type: source.contentType,
      body: "a 1\n",
    });
    assert.equal((await fetchText(server.address, "/metrics?x=1")).status, 200);
    assert.equal((await fetchText(server.address, "/")).status, 404);
    assert.equal((await fetchText(server.address, "/metrics/x")).status, 404);
    assert.equal((await fetchText(server.address, "/metrics", "POST")).status, 405);
    assert.equal((await fetchText(server.address, "/metrics", "HEAD")).body, "");
  } finally {
    await server.close();
  }
});

test("an address in use: an error naming metrics.listen and the address", async () => {
  const first = await startMetricsServer({ host: "127.0.0.1", port: 0 }, source);
  try {
    const port = Number(first.address.split(":")[1]);
    await assert.rejects(startMetricsServer({ host: "127.0.0.1", port }, source), {
      message: `metrics.listen 127.0.0.1:${port}: cannot listen: EADDRINUSE`,
    });
  } finally {
    await first.close();
  }
});

test("a render that fails is a 500 with the reason, and the server goes on", async () => {
  let fail = true;
  const server = await startMetricsServer(
    { host: "127.0.0.1", port: 0 },
    {
      contentType: source.contentType,
      render: async () => {
        if (fail) throw new Error("boom");
        return Buffer.from("a 1\n");
      },
    },
  );
  try {
    assert.deepEqual(await fetchText(server.address, "/metrics"), {
      status: 500,
      type: "text/plain; charset=utf-8",
      body: "cannot render the metrics: boom\n",
    });
    fail = false;
    assert.equal((await fetchText(server.address, "/metrics")).status, 200);
  } finally {
    await server.close();
  }
});

/** A source that counts its renders and answers `bytes` bytes. */
function counting(bytes: number) {
  const counted = { renders: 0 };
  const body = Buffer.alloc(bytes, "a");
  const source = {
    contentType: "text/plain; charset=utf-8",
    render: async () => {
      counted.renders++;
      return body;
    },
  };
  return { counted, source };
}

function open(address: string): Socket {
  const at = address.lastIndexOf(":");
  return connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)) });
}

/** Reads the socket until the server closes it, waiting at most `ms`; undefined if still open. */
function readToClose(socket: Socket, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, ms);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", () => undefined);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.resume();
  });
}

test("300 pipelined GETs on one connection: one render, one response, then the connection closes", async () => {
  const { counted, source } = counting(100_000);
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0 }, source);
  try {
    const socket = open(server.address);
    socket.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".repeat(300));
    const text = await readToClose(socket, 5_000);
    assert.notEqual(text, undefined, "the server closes the connection");
    assert.equal(text?.match(/HTTP\/1\.1 /g)?.length, 1);
    assert.match(text ?? "", /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text ?? "", /\r\nConnection: close\r\n/i);
    assert.equal(counted.renders, 1);
  } finally {
    await server.close();
  }
});

test("HEAD answers the headers without rendering", async () => {
  const { counted, source } = counting(10);
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0 }, source);
  try {
    const answer = await fetchText(server.address, "/metrics", "HEAD");
    assert.deepEqual(answer, { status: 200, type: source.contentType, body: "" });
    assert.equal(counted.renders, 0);
  } finally {
    await server.close();
  }
});

test("connections over the cap are closed at once; the ones under it are served", async () => {
  const { source } = counting(10);
  const limits = { maxConnections: 2, connectionMs: 10_000 };
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0 }, source, limits);
  const idle = [open(server.address), open(server.address)];
  try {
    await Promise.all(idle.map((s) => new Promise((r) => s.once("connect", r))));
    await sleep(100); // the server has accepted both
    const extra = await readToClose(open(server.address), 2_000);
    assert.equal(extra, "", "the third connection is closed without an answer");
  } finally {
    for (const s of idle) s.destroy();
    await server.close();
  }
});

test("a client that sends nothing is dropped after connectionMs", async () => {
  const { source } = counting(10);
  const limits = { maxConnections: 8, connectionMs: 300 };
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0 }, source, limits);
  try {
    assert.equal(await readToClose(open(server.address), 3_000), "");
  } finally {
    await server.close();
  }
});

test("a client that does not read its response is dropped after connectionMs", async () => {
  const size = 32 * 1024 * 1024; // far more than the socket buffers hold
  const { source } = counting(size);
  const limits = { maxConnections: 8, connectionMs: 300 };
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0 }, source, limits);
  try {
    const socket = open(server.address);
    socket.pause();
    socket.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    await sleep(1_000);
    const text = await readToClose(socket, 5_000); // reads now, fast
    assert.notEqual(text, undefined, "the server closed the connection");
    assert.ok((text?.length ?? 0) < size, `got ${text?.length} of ${size} bytes`);
  } finally {
    await server.close();
  }
});

/** A service's metrics input that a "pass" replaces, and a render that counts its calls. */
function fixture() {
  const f = {
    now: 1_000_000,
    input: { state: {}, lastPass: undefined as object | undefined },
    renders: 0,
    fail: false,
  };
  const render = renderOncePerPass(
    () => f.input,
    async () => {
      f.renders++;
      if (f.fail) throw new Error("boom");
      return `pass ${f.renders}\n`;
    },
    { now: () => f.now },
    5_000,
  );
  const pass = () => {
    f.input = { state: {}, lastPass: { at: f.now } };
  };
  return { f, render, pass };
}

test("scrapes that arrive together, and scrapes between passes, share one render", async () => {
  const { f, render } = fixture();
  const bodies = await Promise.all(Array.from({ length: 300 }, () => render()));
  assert.equal(f.renders, 1);
  assert.ok(bodies.every((b) => b === bodies[0]));
  f.now += 60_000;
  assert.equal((await render()).toString(), "pass 1\n");
  assert.equal(f.renders, 1, "no pass since: the same text however old");
});

test("a new pass is rendered, but not more often than every 5 s", async () => {
  const { f, render, pass } = fixture();
  await render();
  f.now += 1_000;
  pass();
  assert.equal((await render()).toString(), "pass 1\n", "1 s later: the buffer is kept");
  f.now += 4_000;
  assert.equal((await render()).toString(), "pass 2\n");
  assert.equal(f.renders, 2);
});

test("a failed render is not kept: the next scrape renders again", async () => {
  const { f, render } = fixture();
  f.fail = true;
  await assert.rejects(render(), { message: "boom" });
  f.fail = false;
  assert.equal((await render()).toString(), "pass 2\n");
});
