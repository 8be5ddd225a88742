// META: title=WebSocket close() called again while CLOSING or CLOSED: validated, then a no-op
// META: script=/websockets/resources/close-helpers.js

// Contract § "close() argument validation": a second close() while CLOSING
// or CLOSED is a no-op after validation, so invalid arguments still throw
// (WHATWG WebSockets §3 close(): steps 1-2 validate before step 3 looks at
// readyState).
//
// To reach CLOSED the same way under either compatibility flag state, the
// peer `b` is accepted with allowHalfOpen and replies itself (contract §
// "Behaviour": allowHalfOpen is "manual" whatever the flag).

// An end `a` that has sent its Close and is waiting for the reply.
function closingEnd(t) {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  b.accept({ allowHalfOpen: true });
  const events = new EventRecorder(t, { a, b });
  a.close(1000, "first");
  return { a, b, events };
}

// An end `a` whose close handshake is complete.
async function closedEnd(t) {
  const { a, b, events } = closingEnd(t);
  await events.waitFor("b", "close");
  b.close(4002, "reply");
  await events.waitFor("a", "close");
  assert_equals(a.readyState, 3, "setup: a is CLOSED");
  return { a, b, events };
}

function assert_still_validates(ws, state) {
  assert_throws_dom_message("InvalidAccessError", () => ws.close(1005), INVALID_CODE_MESSAGE(1005),
    `close(1005) while ${state}`);
  assert_throws_dom_message("InvalidAccessError", () => ws.close(999), INVALID_CODE_MESSAGE(999),
    `close(999) while ${state}`);
  assert_throws_dom_message("InvalidAccessError", () => ws.close(undefined, "why"),
    REASON_WITHOUT_CODE_MESSAGE, `close(undefined, "why") while ${state}`);
  assert_throws_dom_message("SyntaxError", () => ws.close(4000, REASON_124_BYTES),
    REASON_TOO_LONG_MESSAGE, `close(4000, reason of 124 bytes) while ${state}`);
}

promise_test(async (t) => {
  const { a, events } = closingEnd(t);
  assert_equals(a.readyState, 2, "CLOSING after the first close()");
  a.close(4000, "second");
  a.close();
  assert_equals(a.readyState, 2, "still CLOSING");
  await events.waitFor("b", "close");
  assert_entries(events.of("b"), [["b", "close", 1000, "first", true, 2]],
    "the peer got the first close()'s code and reason, once");
}, "a second close() while CLOSING does not throw and sends nothing: the peer sees the first code and reason");

test((t) => {
  const { a } = closingEnd(t);
  assert_still_validates(a, "CLOSING");
  assert_equals(a.readyState, 2, "still CLOSING");
}, "close(1005), close(999), a reason without a code and a 124-byte reason still throw while CLOSING");

promise_test(async (t) => {
  const { a, events } = await closedEnd(t);
  a.close(4000, "again");
  a.close();
  assert_equals(a.readyState, 3, "still CLOSED");
  // A further event would be a task of its own, and no later event tells
  // that none is coming: a short window is the only way to show its absence.
  await quietWindow(t);
  assert_entries(events.of("a", ["close", "error"]), [["a", "close", 4002, "reply", true, 3]],
    "one close event, no error event");
}, "close() while CLOSED does not throw and fires no further event");

promise_test(async (t) => {
  const { a } = await closedEnd(t);
  assert_still_validates(a, "CLOSED");
  assert_equals(a.readyState, 3, "still CLOSED");
}, "close(1005), close(999), a reason without a code and a 124-byte reason still throw while CLOSED");
