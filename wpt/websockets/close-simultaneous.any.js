// META: title=Simultaneous close: each end's event carries the other end's code and reason
// META: script=/websockets/resources/close-helpers.js

// Contract § "In-process WebSocketPair": simultaneous close (both call
// close() before either event): each side's event carries the other side's
// code and reason, both end at 3. RFC 6455 §7.1.5: "the WebSocket Connection
// Close Code is ... the status code contained in the first Close control
// frame received"; no end echoes, since both have sent a Close already, so
// this holds in both modes.

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close(4001, "from a");
  b.close(4002, "from b");
  events.mark("after both close() calls", a.readyState, b.readyState);
  await Promise.all([events.waitFor("a", "close"), events.waitFor("b", "close")]);
  events.mark("after both events", a.readyState, b.readyState);
  assert_entries(events.log.filter((e) => e[0].startsWith("after")), [
    ["after both close() calls", 2, 2],
    ["after both events", 3, 3],
  ], "readyState before and after");
  assert_entries(events.of("a"), [["a", "close", 4002, "from b", true, 3]], "a's event carries b's Close");
  assert_entries(events.of("b"), [["b", "close", 4001, "from a", true, 3]], "b's event carries a's Close");
}, "both ends close() before either event: a gets 4002 \"from b\", b gets 4001 \"from a\", both clean and CLOSED");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close();
  b.close(4002, "from b");
  await Promise.all([events.waitFor("a", "close"), events.waitFor("b", "close")]);
  assert_entries(events.of("a"), [["a", "close", 4002, "from b", true, 3]], "a");
  assert_entries(events.of("b"), [["b", "close", 1005, "", true, 3]], "b: a's Close was empty");
}, "simultaneous close where one Close is empty: that end's peer sees 1005 \"\"");

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept({ allowHalfOpen: true });
  b.accept({ allowHalfOpen: true });
  const events = new EventRecorder(t, { a, b });
  a.close(4001, "from a");
  b.close(4002, "from b");
  await Promise.all([events.waitFor("a", "close"), events.waitFor("b", "close")]);
  assert_entries(events.of("a"), [["a", "close", 4002, "from b", true, 3]], "a");
  assert_entries(events.of("b"), [["b", "close", 4001, "from a", true, 3]], "b");
}, "simultaneous close after accept({ allowHalfOpen: true }) on both ends: the same");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  a.close(4001, "from a");
  b.close(4002, "from b");
  await Promise.all([events.waitFor("a", "close"), events.waitFor("b", "close")]);
  // An error event would come after the close events (contract: the
  // production runtime's extra "Network connection lost."); nothing marks
  // that none is coming, hence a short window.
  await quietWindow(t);
  assert_equals(events.log.filter((e) => e[1] === "error").length, 0, "no error event");
  assert_equals(events.log.length, 2, "one close event per end, nothing else");
}, "simultaneous close: one close event per end and no error event");
