import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_FALLBACKS } from "../../../src/settings/fallbacks.js";
import { validateSettings } from "../../../src/settings/validate.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const FILE = "/etc/wg-endpoint-manager/config.yaml";
const AT = 'peers."XXSeHNuO…".fallbackEndpoints';

const withFallbacks = (fallbackEndpoints: unknown) =>
  validateSettings({ peers: { [KEY]: { fallbackEndpoints } } }, FILE);

test("fallback endpoints are read as wg reads an Endpoint; literals in canonical form", () => {
  const s = withFallbacks(["vpn.example.test:443", "[2001:DB8:0::9]:51820", "198.51.100.7:4500"]);
  assert.deepEqual(s.peers[KEY]?.fallbackEndpoints, [
    { host: "vpn.example.test", port: 443 },
    { host: "2001:db8::9", port: 51820 },
    { host: "198.51.100.7", port: 4500 },
  ]);
});

test("a bad entry names the file, the setting's path and the entry, and says why", () => {
  assert.throws(
    () => withFallbacks(["vpn.example.test:99999", "[2001:db8::9:51820", 443, "bad_name!:443"]),
    {
      message: `${FILE}: ${AT}[0]: Endpoint "vpn.example.test:99999": expected a port 1-65535, got "99999"; ${AT}[1]: Endpoint "[2001:db8::9:51820": no "]" closes the "["; ${AT}[2]: expected "host:port", got 443; ${AT}[3]: Endpoint "bad_name!:443": "bad_name!": not a hostname (labels of 1-63 letters, digits, - and _, at most 253 characters) or an IP address`,
    },
  );
});

test("not a list, too many, no port, or an entry repeated: errors naming the setting", () => {
  assert.throws(() => withFallbacks(["vpn.example.test"]), {
    message: `${FILE}: ${AT}[0]: Endpoint "vpn.example.test": expected "host:port"`,
  });
  assert.throws(() => withFallbacks("vpn.example.test:443"), {
    message: `${FILE}: ${AT}: expected a list of endpoints ("host:port"), got "vpn.example.test:443"`,
  });
  const many = Array.from({ length: MAX_FALLBACKS + 1 }, (_, i) => `vpn${i}.example.test:443`);
  assert.throws(() => withFallbacks(many), {
    message: `${FILE}: ${AT}: expected at most 4 endpoints, got 5`,
  });
  assert.doesNotThrow(() => withFallbacks(many.slice(0, MAX_FALLBACKS)));
  assert.throws(
    () =>
      withFallbacks([
        "VPN.example.test:443",
        "[2001:db8::9]:1",
        "vpn.example.test:443",
        "[2001:db8:0::9]:1",
      ]),
    {
      message: `${FILE}: ${AT}[2]: repeats ${AT}[0]; ${AT}[3]: repeats ${AT}[1]`,
    },
  );
});

test("an empty list is allowed (no fallbacks)", () => {
  assert.deepEqual(withFallbacks([]).peers[KEY]?.fallbackEndpoints, []);
});
