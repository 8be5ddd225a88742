// META: title=Script-initiated close: CLOSING at once, the close event carries the peer's reply
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "Behaviour: auto vs manual", script-initiated close: readyState
// goes 1 -> 2 at once; when the peer's Close arrives the close event carries
// the peer's code and reason, readyState 3, wasClean true. Identical in both
// modes (WHATWG WebSockets §3 close() step 6 "start the WebSocket closing
// handshake" sets CLOSING; RFC 6455 §7.1.5 the close code is the one
// received).
//
// The closing end `a` is accepted without options, so it is "auto" with the
// flag on and "manual" with it off: these subtests pass under both. The
// peer `b` replies itself (allowHalfOpen) with a code of its own, so the
// event shows whose code it carries.

promise_test(async (t) => {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  b.accept({ allowHalfOpen: true });
  const events = new EventRecorder(t, { a, b });
  events.mark("before", a.readyState, b.readyState);
  a.close(4001, "server-bye");
  events.mark("after a.close()", a.readyState, b.readyState);
  await events.waitFor("b", "close");
  b.close(1000, "client-bye");
  await events.waitFor("a", "close");
  events.mark("after", a.readyState, b.readyState);
  assert_entries(events.log, [
    ["before", 1, 1],
    ["after a.close()", 2, 1],
    ["b", "close", 4001, "server-bye", true, 2],
    ["a", "close", 1000, "client-bye", true, 3],
    ["after", 3, 3],
  ]);
}, "pair: close(4001, \"server-bye\") makes a CLOSING at once; a's close event carries the peer's 1000 \"client-bye\", clean, CLOSED");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  b.addEventListener("message", t.step_func(() => {
    b.close(4001, "server-bye");
    events.mark("after b.close() in the message handler", b.readyState);
  }));
  // a answers with the code and reason it got: the reply in manual mode,
  // validated and ignored after the echo in auto mode (the changelog's
  // "existing code ... will continue to work"). b sees the same either way.
  a.addEventListener("close", t.step_func((event) => {
    a.close(event.code, event.reason);
  }));
  a.send("please close");
  await events.waitFor("b", "close");
  assert_entries(events.log.filter((e) => e[0] !== "a"), [
    ["b", "message", "please close", 1],
    ["after b.close() in the message handler", 2],
    ["b", "close", 4001, "server-bye", true, 3],
  ]);
}, "pair: close() in a message handler makes the socket CLOSING at once; its close event carries the peer's reply");

promise_test(async (t) => {
  const ws = await openWebSocket(t, "/echo");
  const events = new EventRecorder(t, { ws });
  ws.close(4001, "server-bye");
  events.mark("after close()", ws.readyState);
  await events.waitFor("ws", "close");
  // The echo handler answers a Close with the same code and reason.
  assert_entries(events.log, [
    ["after close()", 2],
    ["ws", "close", 4001, "server-bye", true, 3],
  ]);
}, "network (/echo): close(4001, \"server-bye\") makes the socket CLOSING at once; the close event carries the server's reply, clean, CLOSED");

promise_test(async (t) => {
  const ws = await openWebSocket(t, "/echo");
  const events = new EventRecorder(t, { ws });
  ws.close();
  events.mark("after close()", ws.readyState);
  await events.waitFor("ws", "close");
  assert_entries(events.log, [
    ["after close()", 2],
    ["ws", "close", 1005, "", true, 3],
  ]);
}, "network (/echo): close() with no arguments: the server's empty reply is reported as 1005 \"\"");

promise_test(async (t) => {
  const ws = await openWebSocket(t, "/echo");
  const events = new EventRecorder(t, { ws });
  ws.addEventListener("message", t.step_func(() => {
    ws.close(1000, "after message");
    events.mark("after close() in the message handler", ws.readyState);
  }));
  ws.send("hello");
  await events.waitFor("ws", "close");
  assert_entries(events.log, [
    ["ws", "message", "hello", 1],
    ["after close() in the message handler", 2],
    ["ws", "close", 1000, "after message", true, 3],
  ]);
}, "network (/echo): close() in a message handler makes the socket CLOSING at once; the close event carries the reply");
