// META: title=WebSocket send() after the socket's own close() throws TypeError
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "close() argument validation": send() after the socket's own
// close() throws `TypeError: Can't call WebSocket send() after close().`
// (WHATWG would drop the data silently; the contract follows the production
// runtime here.) The peer `b` is accepted with allowHalfOpen and replies
// itself, so CLOSED is reached the same way under either flag state.

const PAYLOADS = [
  ["a string", () => "late"],
  ["an ArrayBuffer", () => new ArrayBuffer(2)],
  ["a Uint8Array", () => new Uint8Array([1, 2])],
];

for (const [what, payload] of PAYLOADS) {
  test(() => {
    const [a] = acceptedPair();
    a.close(1000, "bye");
    assert_equals(a.readyState, 2, "CLOSING");
    assert_throws_js_message(TypeError, () => a.send(payload()), SEND_AFTER_CLOSE_MESSAGE);
  }, `send(${what}) while CLOSING after close() throws TypeError "${SEND_AFTER_CLOSE_MESSAGE}"`);
}

test(() => {
  const [a] = acceptedPair();
  a.close();
  assert_throws_js_message(TypeError, () => a.send("late"), SEND_AFTER_CLOSE_MESSAGE);
}, "send() after close() with no arguments throws the same TypeError");

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  b.accept({ allowHalfOpen: true });
  const events = new EventRecorder(t, { a, b });
  a.close(1000, "bye");
  await events.waitFor("b", "close");
  b.close(1000, "reply");
  await events.waitFor("a", "close");
  assert_equals(a.readyState, 3, "CLOSED");
  assert_throws_js_message(TypeError, () => a.send("late"), SEND_AFTER_CLOSE_MESSAGE);
}, "send() after close() once the handshake is complete (CLOSED) throws the same TypeError");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { b });
  a.close(1000, "bye");
  assert_throws_js(TypeError, () => a.send("late"));
  await events.waitFor("b", "close");
  // No message came before the Close: the refused send() put nothing on the wire.
  assert_entries(events.of("b", ["message", "close"]).map((e) => e.slice(0, 4)),
    [["b", "close", 1000, "bye"]]);
}, "a refused send() sends nothing: the peer gets only the Close");

promise_test(async (t) => {
  const ws = await openWebSocket(t, "/echo");
  ws.close(1000, "bye");
  assert_equals(ws.readyState, 2, "CLOSING");
  assert_throws_js_message(TypeError, () => ws.send("late"), SEND_AFTER_CLOSE_MESSAGE);
}, "new WebSocket(url): send() after close() throws the same TypeError");
