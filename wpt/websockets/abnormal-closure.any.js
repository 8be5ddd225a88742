// META: title=Abnormal closure: the server drops TCP without a Close frame
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "Behaviour: auto vs manual", last paragraph: the peer drops TCP
// without a Close frame: one close event with code 1006, reason
// "WebSocket disconnected without sending Close frame.", wasClean false,
// and no error event; identical in both modes. Divergence from the
// production runtime (which shows readyState 1 in that handler and 2
// afterwards): readyState is 3 (CLOSED), as WHATWG WebSockets "the WebSocket
// connection is closed" requires (RFC 6455 §7.1.5: 1006 when no Close frame
// was received). The test server's /remote-close?abrupt=1 drops the
// connection right after the handshake.

function abrupt(t) {
  const ws = CreateWebSocket("/remote-close", { abrupt: 1 });
  return [ws, new EventRecorder(t, { ws })];
}

promise_test(async (t) => {
  const [, events] = abrupt(t);
  await events.waitFor("ws", "close");
  assert_entries(events.log, [
    ["ws", "open", 1],
    ["ws", "close", 1006, DISCONNECTED_REASON, false, 3],
  ]);
}, `open, then one close event: 1006, "${DISCONNECTED_REASON}", wasClean false, readyState CLOSED in the handler`);

promise_test(async (t) => {
  const [ws, events] = abrupt(t);
  await events.waitFor("ws", "close");
  // The production runtime's readyState went to 2 after the handler; an
  // error event or a second close event would be tasks of their own. None
  // of that has an event marking that it will not happen: a short window.
  await quietWindow(t);
  assert_equals(ws.readyState, 3, "still CLOSED");
  assert_entries(events.log.filter((e) => e[1] !== "open"), [
    ["ws", "close", 1006, DISCONNECTED_REASON, false, 3],
  ], "no error event, no second close event");
}, "no error event before or after the close event, and readyState stays CLOSED");

promise_test(async (t) => {
  const [ws, events] = abrupt(t);
  await events.waitFor("ws", "close");
  // The script never called close(), so this is not "send() after close()"
  // (contract § "close() argument validation"); WHATWG send(): once the
  // connection is closed, data is discarded without an exception.
  ws.send("into the void");
  // close() after the connection is gone: validated, then nothing.
  assert_throws_dom("InvalidAccessError", () => ws.close(1005));
  ws.close(1000, "too late");
  assert_equals(ws.readyState, 3, "CLOSED");
}, "after an abnormal closure send() is a silent no-op and close() is validated, then a no-op");
