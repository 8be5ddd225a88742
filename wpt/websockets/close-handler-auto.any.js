// META: title=Close handler in auto mode: send() throws, close() is validated then ignored
// META: script=/websockets/resources/close-helpers.js

// Asserts the "auto" behaviour (web_socket_auto_reply_to_close on, accept()
// without allowHalfOpen) of calls made inside the close handler that follows
// the peer's Close (contract § "Behaviour: auto vs manual", rows "close(code,
// reason) in the handler" and "send() in the handler"; the changelog: "the
// call is silently ignored when the WebSocket is already closed").
//
// Expected to fail with the flag off (auto-reply-off.expectations.json);
// close-handler-manual.any.js asserts the other state.

// a closes with 1000 "bye"; `inHandler(b)` runs inside b's close handler and
// returns what it saw. Resolves with { seen, events } once a's close event
// came (the echo).
async function peerCloses(t, inHandler) {
  const [a, b] = acceptedPair();
  const events = new EventRecorder(t, { a, b });
  let seen;
  b.addEventListener("close", t.step_func(() => {
    seen = inHandler(b);
  }));
  a.close(1000, "bye");
  await events.waitFor("b", "close");
  assert_entries(events.of("b"), [["b", "close", 1000, "bye", true, 3]], "b's close event, CLOSED inside");
  await events.waitFor("a", "close");
  return { seen, events };
}

test(() => {
  assert_true(Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close);
}, "Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close is true");

promise_test(async (t) => {
  const { seen, events } = await peerCloses(t, (b) => {
    let error = null;
    try {
      b.send("late");
    } catch (e) {
      error = e;
    }
    return { error, readyState: b.readyState };
  });
  assert_true(seen.error instanceof TypeError, `send() threw a TypeError (got ${seen.error})`);
  assert_equals(seen.error.message, SEND_AFTER_CLOSE_MESSAGE, "message");
  assert_equals(seen.readyState, 3, "still CLOSED");
  assert_entries(events.of("a"), [["a", "close", 1000, "bye", true, 3]], "a got only the echo");
}, `send() in the close handler throws TypeError "${SEND_AFTER_CLOSE_MESSAGE}"`);

promise_test(async (t) => {
  const { seen, events } = await peerCloses(t, (b) => {
    b.close(4000, "handler");
    return { readyState: b.readyState };
  });
  assert_equals(seen.readyState, 3, "CLOSED after the ignored close()");
  assert_entries(events.of("a"), [["a", "close", 1000, "bye", true, 3]],
    "the peer gets the echo (1000, \"bye\"), not 4000 \"handler\"");
}, "close(4000, \"handler\") in the close handler does not throw and is ignored: the peer gets the echo");

promise_test(async (t) => {
  const { seen, events } = await peerCloses(t, (b) => {
    b.close();
    return { readyState: b.readyState };
  });
  assert_equals(seen.readyState, 3, "CLOSED");
  assert_entries(events.of("a"), [["a", "close", 1000, "bye", true, 3]], "the echo");
}, "close() with no arguments in the close handler is ignored too");

promise_test(async (t) => {
  const { seen } = await peerCloses(t, (b) => {
    const thrown = [];
    for (const [what, call] of [
      ["close(1005)", () => b.close(1005)],
      ["close(1006, \"x\")", () => b.close(1006, "x")],
      ["close(undefined, \"x\")", () => b.close(undefined, "x")],
      ["close(4000, reason of 124 bytes)", () => b.close(4000, REASON_124_BYTES)],
    ]) {
      try {
        call();
        thrown.push([what, "no exception"]);
      } catch (e) {
        thrown.push([what, e instanceof DOMException ? "DOMException" : "other", e.name, e.message]);
      }
    }
    return { thrown, readyState: b.readyState };
  });
  assert_entries(seen.thrown, [
    ["close(1005)", "DOMException", "InvalidAccessError", INVALID_CODE_MESSAGE(1005)],
    ["close(1006, \"x\")", "DOMException", "InvalidAccessError", INVALID_CODE_MESSAGE(1006)],
    ["close(undefined, \"x\")", "DOMException", "InvalidAccessError", REASON_WITHOUT_CODE_MESSAGE],
    ["close(4000, reason of 124 bytes)", "DOMException", "SyntaxError", REASON_TOO_LONG_MESSAGE],
  ]);
  assert_equals(seen.readyState, 3, "CLOSED");
}, "close() in the close handler validates its arguments first: close(1005) and a 124-byte reason still throw");
