// META: title=Server-initiated close over the network: the close event carries the server's code and reason
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "Behaviour: auto vs manual": when the peer's Close (code C,
// reason R) arrives the event has code C, reason R, wasClean true (an empty
// Close: 1005, ""), in both modes. The test server's /remote-close handler
// closes right after the handshake with ?code= and ?reason=.
// readyState inside the handler depends on the flag: see
// remote-close-auto.any.js and remote-close-manual.any.js.

const withoutReadyState = (entries) => entries.map((e) => (e[1] === "close" ? e.slice(0, 5) : e));

const CASES = [
  ["code=4000&reason=bye", { code: 4000, reason: "bye" }, 4000, "bye"],
  ["code=1000 (no reason)", { code: 1000 }, 1000, ""],
  ["code=1001&reason=going away", { code: 1001, reason: "going away" }, 1001, "going away"],
  ["a multi-byte UTF-8 reason", { code: 4000, reason: "\u30ed\u30dc g\u00fcnayd\u0131n \u{1F600}" }, 4000,
    "\u30ed\u30dc g\u00fcnayd\u0131n \u{1F600}"],
  ["a 123-byte reason", { code: 4999, reason: "\u00e9".repeat(61) + "a" }, 4999, "\u00e9".repeat(61) + "a"],
  ["no code (an empty Close frame)", undefined, 1005, ""],
];

for (const [what, query, code, reason] of CASES) {
  promise_test(async (t) => {
    const ws = CreateWebSocket("/remote-close", query);
    const events = new EventRecorder(t, { ws });
    await events.waitFor("ws", "close");
    assert_entries(withoutReadyState(events.log), [
      ["ws", "open", 1],
      ["ws", "close", code, reason, true],
    ]);
  }, `/remote-close with ${what}: open, then one close event with code ${code}, reason ${JSON.stringify(reason)}, wasClean true`);
}

promise_test(async (t) => {
  const ws = CreateWebSocket("/remote-close", { code: 4000, reason: "bye" });
  const events = new EventRecorder(t, { ws });
  let after;
  ws.addEventListener("close", t.step_func((event) => {
    // The pattern code written before the flag uses; the changelog: "Existing
    // code that manually calls close() inside the close event handler will
    // continue to work". Manual mode: this is the reply. Auto mode: it is
    // validated, then ignored.
    ws.close(event.code, event.reason);
    after = ws.readyState;
  }));
  await events.waitFor("ws", "close");
  assert_equals(after, 3, "CLOSED right after close() in the handler");
  // A second close event would be a task of its own, and nothing marks that
  // none is coming: hence a short window.
  await quietWindow(t);
  assert_equals(ws.readyState, 3, "still CLOSED");
  assert_equals(events.of("ws", ["close", "error"]).length, 1, "one close event, no error event");
}, "close(event.code, event.reason) in the close handler leaves the socket CLOSED in either mode, with no further event");
