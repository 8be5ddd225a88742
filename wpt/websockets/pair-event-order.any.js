// META: title=Event order: messages in the order sent, the close event last
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "In-process WebSocketPair" (events in order, one task each)
// and RFC 6455 §5.5.1 (nothing follows a Close frame): the peer sees the
// messages in the order they were sent, then one close event. The
// readyState inside the peer's close handler depends on the flag (see
// close-handshake-*.any.js), so it is left out of the comparisons here.

const withoutReadyState = (entries) => entries.map((e) => (e[1] === "close" ? e.slice(0, 5) : e));

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  b.binaryType = "arraybuffer";
  const events = new EventRecorder(t, { b });
  a.send("1");
  a.send(new Uint8Array([2]));
  a.send("3");
  a.close(4000, "end");
  await events.waitFor("b", "close");
  assert_entries(withoutReadyState(events.log), [
    ["b", "message", "1", 1],
    ["b", "message", "binary:2", 1],
    ["b", "message", "3", 1],
    ["b", "close", 4000, "end", true],
  ]);
}, "pair: messages then close(): the peer gets every message, in order, with readyState OPEN, then the close event");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.send("a1");
  b.send("b1");
  a.send("a2");
  b.send("b2");
  await Promise.all([events.waitFor("a", "message", 2), events.waitFor("b", "message", 2)]);
  assert_entries(events.of("a"), [["a", "message", "b1", 1], ["a", "message", "b2", 1]], "a");
  assert_entries(events.of("b"), [["b", "message", "a1", 1], ["b", "message", "a2", 1]], "b");
}, "pair: each direction keeps its own order when both ends send");

promise_test(async (t) => {
  const ws = CreateWebSocket("/echo");
  const events = new EventRecorder(t, { ws });
  events.mark("constructed", ws.readyState);
  await events.waitFor("ws", "open");
  ws.send("1");
  ws.send("2");
  await events.waitFor("ws", "message", 2);
  ws.close(1000, "done");
  await events.waitFor("ws", "close");
  assert_entries(events.log, [
    ["constructed", 0],
    ["ws", "open", 1],
    ["ws", "message", "1", 1],
    ["ws", "message", "2", 1],
    ["ws", "close", 1000, "done", true, 3],
  ]);
}, "network (/echo): open, the echoed messages in order, then one close event");
