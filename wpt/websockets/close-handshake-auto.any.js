// META: title=Close handshake in auto mode: the peer's Close is echoed and readyState is CLOSED in the handler
// META: script=/websockets/resources/close-helpers.js

// Asserts the "auto" behaviour: web_socket_auto_reply_to_close on and
// accept() without allowHalfOpen (contract § "Behaviour: auto vs manual";
// RFC 6455 §5.5.1: an endpoint that receives a Close sends one in response,
// echoing the status code; WHATWG WebSockets §"the WebSocket closing
// handshake is started" / "the WebSocket connection is closed": readyState
// is CLOSED when the close event fires).
//
// Expected to fail with the flag off (auto-reply-off.expectations.json);
// close-handshake-manual.any.js asserts the other state.

test(() => {
  assert_true(Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close);
}, "Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close is true");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close(1000, "bye");
  events.mark("after a.close()", a.readyState, b.readyState);
  await events.waitFor("b", "close");
  // b echoed the Close before its close event was dispatched: CLOSED inside.
  assert_entries(events.log, [
    ["after a.close()", 2, 1],
    ["b", "close", 1000, "bye", true, 3],
  ], "b's close event");
  await events.waitFor("a", "close");
  events.mark("after both events", a.readyState, b.readyState);
  assert_entries(events.log, [
    ["after a.close()", 2, 1],
    ["b", "close", 1000, "bye", true, 3],
    ["a", "close", 1000, "bye", true, 3],
    ["after both events", 3, 3],
  ], "the whole sequence");
}, "a.close(1000, \"bye\"): a is CLOSING at once; b's close event (1000, \"bye\", clean) sees CLOSED; then a's close event carries the echo and sees CLOSED");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close();
  await events.waitFor("b", "close");
  assert_entries(events.of("b"), [["b", "close", 1005, "", true, 3]], "b: no status code, CLOSED");
  await events.waitFor("a", "close");
  // An empty Close is echoed as an empty Close: a sees 1005 too.
  assert_entries(events.of("a"), [["a", "close", 1005, "", true, 3]], "a: the empty echo");
}, "an empty Close (close() with no arguments) is echoed empty: both ends see 1005 and \"\"");

promise_test(async (t) => {
  const reason = "g\u00fcnayd\u0131n \u2713 \u{1F600}";
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close(4321, reason);
  await events.waitFor("b", "close");
  assert_entries(events.of("b"), [["b", "close", 4321, reason, true, 3]], "b");
  await events.waitFor("a", "close");
  assert_entries(events.of("a"), [["a", "close", 4321, reason, true, 3]], "a gets its own code and reason back");
}, "the echo carries the code and a multi-byte UTF-8 reason unchanged");

promise_test(async (t) => {
  const reason = "x".repeat(123);
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close(4999, reason);
  await events.waitFor("b", "close");
  assert_entries(events.of("b"), [["b", "close", 4999, reason, true, 3]], "b");
  await events.waitFor("a", "close");
  assert_entries(events.of("a"), [["a", "close", 4999, reason, true, 3]], "a");
}, "the echo of a 123-byte reason is whole");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close(1000, "bye");
  await events.waitFor("b", "close");
  assert_equals(events.of("b")[0][5], 3, "b is CLOSED in its handler");
  await events.waitFor("a", "close");
  // Divergence (contract § "In-process WebSocketPair"): the production
  // runtime fires an extra error event ("Network connection lost.") on the
  // replying end after the handshake. It would come after the close events,
  // and nothing marks that it will not come: hence a short window.
  await quietWindow(t);
  assert_entries(events.log.filter((e) => e[1] === "error"), [], "no error event");
  assert_equals(events.log.length, 2, "two events in all");
}, "no error event on either end after the handshake, in particular not on the end that replied");

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  const events = new EventRecorder(t, { a, b });
  a.close(1000, "early");
  // b has not called accept(): its Close waits in the queue, and no echo
  // can have been sent (the wait is a short window, the only way to show
  // that nothing happens before accept()).
  await quietWindow(t);
  events.mark("before b.accept()", a.readyState, b.readyState);
  b.accept();
  await events.waitFor("b", "close");
  assert_entries(events.log, [
    ["before b.accept()", 2, 1],
    ["b", "close", 1000, "early", true, 3],
  ], "b's close event after accept()");
  await events.waitFor("a", "close");
  assert_entries(events.of("a"), [["a", "close", 1000, "early", true, 3]], "a's close event");
}, "a Close sent before the peer's accept() is echoed once the peer accepts, not before");
