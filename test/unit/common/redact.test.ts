import assert from "node:assert/strict";
import { test } from "node:test";
import { echo, echoInput, echoValue, markControls } from "../../../src/common/redact.js";

const KEY = "6KlCNMKAkKcfT+iQxfl7ABTz4yiso5iwGjJgdGVu9VQ=";

test("control characters never reach the terminal: C0, DEL, C1, bidi and line separators", () => {
  assert.equal(echo("a\u001b]0;owned\u0007b\u001b[2Jc"), "a]0;ownedb[2Jc");
  assert.equal(echo("x\u007fy\u009bz\r\n"), "xyz");
});

test("a base64 run of 40 or more characters shows its first 8 and …", () => {
  assert.equal(echo(KEY), "6KlCNMKA…");
  assert.equal(echo(`${KEY.slice(0, 43)}:51820`), "6KlCNMKA…:51820");
  assert.equal(echo(`[Peer ${KEY}]`), "[Peer 6KlCNMKA…]");
  assert.equal(echo("a".repeat(39)), "a".repeat(39));
  // 20 or more that mix upper and lower case are cut too: 39 characters of a key are a key.
  assert.equal(echo(KEY.slice(5, 44)), "MKAkKcfT…");
  assert.equal(echo("vpn.MyCompanyGateway01.test"), "vpn.MyCompanyGateway01.test");
  assert.equal(echo("vpn.MyCompanyGatewayNumber1.test"), "vpn.MyCompan….test");
  // A key split by a control character is joined before it is cut.
  assert.equal(echo(`${KEY.slice(0, 20)}\u0000${KEY.slice(20)}`), "6KlCNMKA…");
});

test("a key split by spaces is cut as a whole; long input is cut to 64 characters", () => {
  assert.equal(echoInput(`  ${KEY.slice(0, 22)} ${KEY.slice(22)}  `), "6KlCNMKA…");
  assert.equal(echoInput("  this line has no equals sign "), "this line has no equals sign");
  assert.equal(echo("a.".repeat(50)), `${"a.".repeat(31)}a…`);
});

test("invisible and look-alike characters are shown, and do not hide a key", () => {
  assert.equal(echo("Endpoint\u00a0"), "Endpoint<U+00A0>");
  assert.equal(echo("\ufeff[Interface]\u200b"), "<U+FEFF>[Interface]<U+200B>");
  assert.equal(echo(`${KEY.slice(0, 20)}\u00a0${KEY.slice(20)}`), "6KlCNMKA…");
  assert.equal(echo(`${KEY.slice(0, 20)}\u202e${KEY.slice(20)}:1`), "6KlCNMKA…:1");
});

test("a megabyte line is scanned only as far as it can be shown, and cut where no key survives", () => {
  assert.equal(echo(`x${"A".repeat(5_000_000)}`), "xAAAAAAA…");
  assert.equal(echo(`${"a ".repeat(505)}${KEY}${KEY}`), `${"a ".repeat(31)}a…`);
  assert.equal(echo(`${"-".repeat(1000)}${KEY}`).length, 64);
  assert.equal(echo(`${"-,".repeat(10)}${"A".repeat(5_000_000)}`), `${"-,".repeat(10)}AAAAAAAA…`);
  assert.equal(echo(`${"-".repeat(1000)}${KEY}`).length, 64);
});

test("echoValue: strings quoted with controls escaped, keys cut, long text shortened; others named", () => {
  assert.equal(echoValue("2s"), '"2s"');
  assert.equal(echoValue("a\u001b[2Jb\u009b"), '"a\\u001b[2Jb\\u009b"');
  assert.equal(echoValue(KEY), '"6KlCNMKA…"');
  assert.equal(echoValue("x-".repeat(50)), `"${"x-".repeat(30)}…"`);
  assert.equal(echoValue(Number.POSITIVE_INFINITY), "Infinity");
  assert.deepEqual(
    [echoValue(undefined), echoValue([1]), echoValue({}), echoValue(null)],
    ["nothing", "a list", "an object", "null"],
  );
});

test("markControls: every C0, DEL and C1 control shown as ?, the rest as it is", () => {
  assert.equal(markControls("wg0\u001b]0;x\u0007/\u007f\u0085é"), "wg0?]0;x?/??é");
});
