// META: title=WebSocketPair: keys 0 and 1, Object.values, destructuring, readyState before accept()
// META: script=/websockets/resources/close-helpers.js

// Contract § "In-process WebSocketPair": `new WebSocketPair()` has keys 0
// and 1; Object.values() and destructuring both work; both ends report
// readyState 1 before accept().

test(() => {
  const pair = new WebSocketPair();
  assert_array_equals(Object.keys(pair), ["0", "1"]);
  assert_true(pair[0] instanceof WebSocket, "pair[0] is a WebSocket");
  assert_true(pair[1] instanceof WebSocket, "pair[1] is a WebSocket");
  assert_not_equals(pair[0], pair[1], "two different ends");
}, "new WebSocketPair() has the keys 0 and 1, each a WebSocket");

test(() => {
  const pair = new WebSocketPair();
  const values = Object.values(pair);
  assert_equals(values.length, 2);
  assert_equals(values[0], pair[0], "Object.values(pair)[0] is pair[0]");
  assert_equals(values[1], pair[1], "Object.values(pair)[1] is pair[1]");
  const [client, server] = Object.values(pair);
  assert_equals(client, pair[0], "const [client, server] = Object.values(pair): client");
  assert_equals(server, pair[1], "const [client, server] = Object.values(pair): server");
}, "Object.values(new WebSocketPair()) gives the two ends in key order");

test(() => {
  const pair = new WebSocketPair();
  const [client, server] = pair;
  assert_equals(client, pair[0], "client");
  assert_equals(server, pair[1], "server");
}, "const [client, server] = new WebSocketPair() destructures the two ends");

test(() => {
  const [client, server] = Object.values(new WebSocketPair());
  assert_equals(client.readyState, 1, "client");
  assert_equals(server.readyState, 1, "server");
}, "both ends report readyState 1 (OPEN) before accept()");

test(() => {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  assert_equals(server.readyState, 1, "the accepted end");
  assert_equals(client.readyState, 1, "the end not accepted yet");
  client.accept();
  assert_equals(client.readyState, 1, "both accepted");
}, "both ends still report readyState 1 (OPEN) after accept()");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.send("to b");
  b.send("to a");
  await Promise.all([events.waitFor("b", "message"), events.waitFor("a", "message")]);
  assert_entries(events.of("b"), [["b", "message", "to b", 1]], "b got what a sent");
  assert_entries(events.of("a"), [["a", "message", "to a", 1]], "a got what b sent");
}, "the two ends are connected to each other, in both directions");
