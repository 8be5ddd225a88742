// META: title=Script-initiated close to a slow server: CLOSING until the server's reply
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "Behaviour: auto vs manual", script-initiated close: readyState
// goes 1 -> 2 at once and becomes 3 when the peer's Close arrives; the event
// carries the peer's code and reason (WHATWG WebSockets §3 close() step 6;
// RFC 6455 §7.1.2-7.1.4). Identical in both modes. The test server's
// /delayed-passive-close answers a Close after 1 s, echoing its code and
// reason.

// The server waits 1 s before replying. What readyState shows before the
// reply can only be seen over a window inside that second.
const BEFORE_REPLY_MS = 500;

promise_test(async (t) => {
  const ws = await openWebSocket(t, "/delayed-passive-close");
  const events = new EventRecorder(t, { ws });
  ws.close(4001, "slow");
  events.mark("after close()", ws.readyState);
  await quietWindow(t, BEFORE_REPLY_MS);
  events.mark(`${BEFORE_REPLY_MS} ms later`, ws.readyState);
  await events.waitFor("ws", "close");
  events.mark("after the close event", ws.readyState);
  assert_entries(events.log, [
    ["after close()", 2],
    [`${BEFORE_REPLY_MS} ms later`, 2],
    ["ws", "close", 4001, "slow", true, 3],
    ["after the close event", 3],
  ]);
}, "close(4001, \"slow\"): CLOSING at once and still CLOSING before the reply; the close event carries the echoed 4001 \"slow\" with readyState CLOSED");

promise_test(async (t) => {
  const ws = await openWebSocket(t, "/delayed-passive-close");
  const events = new EventRecorder(t, { ws });
  const started = Date.now();
  ws.close();
  await events.waitFor("ws", "close");
  const elapsed = Date.now() - started;
  assert_entries(events.log, [["ws", "close", 1005, "", true, 3]]);
  // The close event waited for the server's reply (sent after 1 s); a
  // little slack for timer granularity.
  assert_greater_than_equal(elapsed, 900, "ms between close() and the close event");
}, "close() with no arguments: the close event (1005, \"\") comes only with the server's reply, about 1 s later");
