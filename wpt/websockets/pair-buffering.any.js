// META: title=WebSocketPair: messages sent before accept() are buffered and delivered in order after it
// META: script=/websockets/resources/close-helpers.js

// Contract § "In-process WebSocketPair": messages sent to an end that has
// not called accept() are buffered and delivered, in order, after it does.
// Proving that nothing is delivered before accept() needs a window: nothing
// else marks that an event is not coming (see quietWindow).

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  b.binaryType = "arraybuffer";
  const events = new EventRecorder(t, { b });
  a.send("one");
  a.send(new Uint8Array([1, 2]));
  a.send("three");
  await quietWindow(t);
  assert_entries(events.log, [], "nothing is delivered before accept()");
  b.accept();
  assert_entries(events.log, [], "nor synchronously inside accept()");
  await events.waitFor("b", "message", 3);
  assert_entries(events.log, [
    ["b", "message", "one", 1],
    ["b", "message", "binary:1,2", 1],
    ["b", "message", "three", 1],
  ]);
}, "text and binary messages sent before accept() arrive after it, in the order sent");

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  const events = new EventRecorder(t, { b });
  for (let i = 0; i < 100; i++) a.send(`m${i}`);
  b.accept();
  await events.waitFor("b", "message", 100);
  assert_array_equals(events.log.map((e) => e[2]), Array.from({ length: 100 }, (_, i) => `m${i}`));
}, "100 messages sent before accept() all arrive, in order");

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  const events = new EventRecorder(t, { b });
  a.send("first");
  a.close(4000, "last");
  events.mark("before b.accept()", b.readyState);
  b.accept();
  await events.waitFor("b", "close");
  // b's readyState in its close handler depends on the flag (auto: 3,
  // manual: 2), so only the events and their order are compared here.
  assert_entries(events.log.map((e) => e.slice(0, 4)), [
    ["before b.accept()", 1],
    ["b", "message", "first", 1],
    ["b", "close", 4000, "last"],
  ]);
}, "a Close sent before accept() is delivered after the messages sent before it; b is OPEN until then");

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  const events = new EventRecorder(t, { b });
  a.send("before");
  b.accept();
  a.send("after");
  await events.waitFor("b", "message", 2);
  assert_entries(events.log, [["b", "message", "before", 1], ["b", "message", "after", 1]]);
}, "messages sent before and after accept() arrive in the order sent");

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  const events = new EventRecorder(t, { a, b });
  b.accept();
  b.send("to a");
  a.send("to b");
  await Promise.all([events.waitFor("a", "message"), events.waitFor("b", "message")]);
  assert_entries(events.of("a"), [["a", "message", "to a", 1]]);
  assert_entries(events.of("b"), [["b", "message", "to b", 1]]);
}, "both directions work once both ends have accepted");
