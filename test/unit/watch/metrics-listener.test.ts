import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import { startMetricsServer } from "../../../src/watch/metrics-listener.js";

// On 127.0.0.1 with a port the kernel picks: loopback only.

const source = {
  contentType: "text/plain; version=0.0.4; charset=utf-8",
  render: async () => "a 1\n",
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
        return "a 1\n";
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
