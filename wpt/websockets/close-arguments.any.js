// META: title=WebSocket close(): argument validation, exact exceptions and messages
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "close() argument validation (both modes)"
// (shared/spec/websocket-close.md): the production runtime's rules, not
// WHATWG's (WHATWG close() allows only 1000 and 3000-4999 and takes a reason
// without a code); the reserved codes are RFC 6455 §7.4.1's. Every check runs
// on an accepted, OPEN end of a fresh WebSocketPair; the rules are the same
// for `new WebSocket(url)` (one network check at the end of the file).

// Contract: valid codes are 1000-4999 except 1004, 1005, 1006 and 1015.
const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1011, 1014, 1016, 2999, 3000, 4000, 4999];
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1015, 5000, 65535];

for (const code of INVALID_CODES) {
  test(() => {
    const [a] = acceptedPair();
    assert_throws_dom_message("InvalidAccessError", () => a.close(code), INVALID_CODE_MESSAGE(code));
    assert_equals(a.readyState, 1, "a refused close() leaves the socket OPEN");
  }, `close(${code}) throws InvalidAccessError "Invalid WebSocket close code: ${code}."`);

  test(() => {
    const [a] = acceptedPair();
    assert_throws_dom_message("InvalidAccessError", () => a.close(code, "why"),
      INVALID_CODE_MESSAGE(code));
  }, `close(${code}, "why") throws the same InvalidAccessError`);
}

for (const code of VALID_CODES) {
  promise_test(async (t) => {
    const [a, b] = acceptedPair();
    const events = new EventRecorder(t, { b });
    a.close(code);
    assert_equals(a.readyState, 2, "CLOSING right after close()");
    const [, , peerCode, peerReason, wasClean] = await events.waitFor("b", "close");
    assert_equals(peerCode, code, "the peer's close event code");
    assert_equals(peerReason, "", "the peer's close event reason");
    assert_true(wasClean, "wasClean");
  }, `close(${code}) is allowed and the peer's close event has code ${code}`);
}

test(() => {
  // Contract § "close() argument validation": a reason without a code.
  const [a] = acceptedPair();
  assert_throws_dom_message("InvalidAccessError", () => a.close(undefined, "why"),
    REASON_WITHOUT_CODE_MESSAGE);
  assert_equals(a.readyState, 1, "still OPEN");
}, 'close(undefined, "why") throws InvalidAccessError "If you specify a WebSocket close reason, you must also specify a code."');

test(() => {
  // An empty string is a reason that is present (Contract § "close()
  // argument validation": a reason without a code).
  const [a] = acceptedPair();
  assert_throws_dom_message("InvalidAccessError", () => a.close(undefined, ""),
    REASON_WITHOUT_CODE_MESSAGE);
}, 'close(undefined, "") throws the same InvalidAccessError: an empty reason is still a reason');

// Contract: a reason over 123 bytes in UTF-8 is a SyntaxError (RFC 6455
// §5.5: 125 bytes of control payload, 2 of them the code). Bytes, not
// characters, count.
const REASONS = [
  ["123 ASCII characters", "a".repeat(123), true],
  ["124 ASCII characters", "a".repeat(124), false],
  ["61 two-byte characters and 1 ASCII (123 bytes)", "\u00e9".repeat(61) + "a", true],
  ["62 two-byte characters (124 bytes)", REASON_124_BYTES, false],
  ["41 three-byte characters (123 bytes)", "\u2713".repeat(41), true],
  ["41 three-byte characters and 1 ASCII (124 bytes)", "\u2713".repeat(41) + "a", false],
  ["30 four-byte characters and 3 ASCII (123 bytes)", "\u{1F600}".repeat(30) + "abc", true],
  ["31 four-byte characters (124 bytes)", "\u{1F600}".repeat(31), false],
];

for (const [what, reason, allowed] of REASONS) {
  if (allowed) {
    promise_test(async (t) => {
      const [a, b] = acceptedPair();
      const events = new EventRecorder(t, { b });
      a.close(4000, reason);
      assert_equals(a.readyState, 2, "CLOSING");
      const [, , code, peerReason] = await events.waitFor("b", "close");
      assert_equals(code, 4000, "code");
      assert_equals(peerReason, reason, "the peer receives the reason unchanged");
    }, `close(4000, reason) with ${what} is allowed and reaches the peer unchanged`);
  } else {
    test(() => {
      const [a] = acceptedPair();
      assert_throws_dom_message("SyntaxError", () => a.close(4000, reason), REASON_TOO_LONG_MESSAGE);
      assert_equals(a.readyState, 1, "a refused close() leaves the socket OPEN");
    }, `close(4000, reason) with ${what} throws SyntaxError "${REASON_TOO_LONG_MESSAGE}"`);
  }
}

test(() => {
  // The code is checked before the reason (as in WHATWG close() steps 1-2;
  // 1005 is invalid under both).
  const [a] = acceptedPair();
  assert_throws_dom_message("InvalidAccessError", () => a.close(1005, REASON_124_BYTES),
    INVALID_CODE_MESSAGE(1005));
}, "close(1005, reason of 124 bytes) reports the code (InvalidAccessError), not the reason");

test(() => {
  const [a] = acceptedPair();
  const e = (() => {
    try {
      a.close(1004);
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert_true(e instanceof DOMException, "a DOMException");
  assert_equals(e.name, "InvalidAccessError", "name");
  assert_equals(e.code, 15, "legacy code INVALID_ACCESS_ERR");
  assert_equals(String(e), "InvalidAccessError: Invalid WebSocket close code: 1004.", "String(e)");
}, "the InvalidAccessError is a DOMException with code 15");

test(() => {
  const [a] = acceptedPair();
  let e = null;
  try {
    a.close(1000, REASON_124_BYTES);
  } catch (thrown) {
    e = thrown;
  }
  assert_true(e instanceof DOMException, "a DOMException");
  assert_equals(e.name, "SyntaxError", "name");
  assert_equals(e.code, 12, "legacy code SYNTAX_ERR");
}, "the SyntaxError is a DOMException with code 12");

// Contract: close() with no arguments is always allowed (an empty Close
// frame, which the peer reports as 1005 and "", RFC 6455 §7.1.5).
for (const [call, close] of [
  ["close()", (ws) => ws.close()],
  ["close(undefined)", (ws) => ws.close(undefined)],
  ["close(undefined, undefined)", (ws) => ws.close(undefined, undefined)],
]) {
  promise_test(async (t) => {
    const [a, b] = acceptedPair();
    const events = new EventRecorder(t, { b });
    close(a);
    assert_equals(a.readyState, 2, "CLOSING right after the call");
    const [, , code, reason, wasClean] = await events.waitFor("b", "close");
    assert_equals(code, 1005, "the peer's close event code (no status code received)");
    assert_equals(reason, "", "the peer's close event reason");
    assert_true(wasClean, "wasClean");
  }, `${call} is allowed: an empty Close frame, the peer's event has code 1005 and reason ""`);
}

promise_test(async (t) => {
  const ws = await openWebSocket(t, "/echo");
  const events = new EventRecorder(t, { ws });
  assert_throws_dom_message("InvalidAccessError", () => ws.close(1004), INVALID_CODE_MESSAGE(1004),
    "close(1004)");
  assert_throws_dom_message("InvalidAccessError", () => ws.close(undefined, "why"),
    REASON_WITHOUT_CODE_MESSAGE, 'close(undefined, "why")');
  assert_throws_dom_message("SyntaxError", () => ws.close(4000, REASON_124_BYTES),
    REASON_TOO_LONG_MESSAGE, "close(4000, reason of 124 bytes)");
  assert_equals(ws.readyState, 1, "still OPEN after the refused calls");
  ws.close(4000, "done");
  assert_equals(ws.readyState, 2, "CLOSING");
  await events.waitFor("ws", "close");
  // The echo handler answers with the client's code and reason.
  assert_entries(events.log, [["ws", "close", 4000, "done", true, 3]]);
}, "new WebSocket(url): the same validation, then a valid close() goes through");
