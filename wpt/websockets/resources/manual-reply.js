// The "manual" reply to a peer's Close (contract § "Behaviour: auto vs
// manual"): the close handler sees CLOSING (2), nothing is sent until the
// script calls close(), and that close() is the reply. It holds with the
// flag off (accept()) and, whatever the flag, after
// accept({ allowHalfOpen: true }); the same subtests serve both:
// close-handshake-manual.any.js / close-handler-manual.any.js call them
// with no accept options, close-half-open*.any.js with allowHalfOpen.
//
// In every subtest `a` (accepted without options) closes first and `b`,
// accepted with `options`, is the end that must reply.

function manualPair(t, options) {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept();
  b.accept(options);
  return [a, b, new EventRecorder(t, { a, b })];
}

// How the subtests name the accept() call.
function acceptLabel(options) {
  return options === undefined ? "accept()" : "accept({ allowHalfOpen: true })";
}

function manualHandshakeTests(options) {
  const label = acceptLabel(options);

  promise_test(async (t) => {
    const [a, b, events] = manualPair(t, options);
    a.close(1000, "bye");
    events.mark("after a.close()", a.readyState, b.readyState);
    await events.waitFor("b", "close");
    assert_entries(events.log, [
      ["after a.close()", 2, 1],
      ["b", "close", 1000, "bye", true, 2],
    ], "b's close event sees CLOSING");
    // No reply goes out until b's script calls close() (contract: "none
    // until the script calls close()", "no timeout"). Its absence can only
    // be shown over a window.
    await quietWindow(t);
    events.mark("after a while", a.readyState, b.readyState);
    b.close(4002, "reply");
    events.mark("after b.close()", a.readyState, b.readyState);
    await events.waitFor("a", "close");
    assert_entries(events.log, [
      ["after a.close()", 2, 1],
      ["b", "close", 1000, "bye", true, 2],
      ["after a while", 2, 2],
      ["after b.close()", 2, 3],
      ["a", "close", 4002, "reply", true, 3],
    ], "the whole sequence");
  }, `${label}: the peer's Close leaves b CLOSING (2) in its handler and after; b.close(4002, "reply") is the reply: b is CLOSED at once, a's close event carries 4002 "reply"`);

  promise_test(async (t) => {
    const [a, b, events] = manualPair(t, options);
    a.close();
    await events.waitFor("b", "close");
    assert_entries(events.of("b"), [["b", "close", 1005, "", true, 2]], "b: no status code, CLOSING");
    b.close();
    assert_equals(b.readyState, 3, "b is CLOSED after its reply");
    await events.waitFor("a", "close");
    assert_entries(events.of("a"), [["a", "close", 1005, "", true, 3]], "a: the empty reply");
  }, `${label}: an empty Close is reported as 1005 "" with b CLOSING; b's empty reply reaches a as 1005 ""`);

  promise_test(async (t) => {
    const [a, b, events] = manualPair(t, options);
    a.close(1000, "bye");
    await events.waitFor("b", "close");
    assert_equals(events.of("b")[0][5], 2, "b is CLOSING in its handler");
    b.close(1000, "done");
    await events.waitFor("a", "close");
    // As the changelog's proxy example: close(event.code, "done").
    assert_entries(events.of("a"), [["a", "close", 1000, "done", true, 3]]);
    // Divergence (contract § "In-process WebSocketPair"): no extra error
    // event on the replying end; it would come last, and nothing marks that
    // it will not come: hence a short window.
    await quietWindow(t);
    assert_entries(events.log.filter((e) => e[1] === "error"), [], "no error event");
  }, `${label}: the reply's own code and reason reach the peer, and no error event follows`);
}

function manualHandlerTests(options) {
  const label = acceptLabel(options);

  // a closes with 1000 "bye"; `inHandler(b)` runs inside b's close handler
  // (after the recorder's listener) and returns what it saw.
  async function peerCloses(t, inHandler) {
    const [a, b, events] = manualPair(t, options);
    let seen;
    b.addEventListener("close", t.step_func(() => {
      seen = inHandler(b);
    }));
    a.close(1000, "bye");
    await events.waitFor("b", "close");
    assert_entries(events.of("b"), [["b", "close", 1000, "bye", true, 2]], "b's close event, CLOSING inside");
    return { a, b, seen, events };
  }

  promise_test(async (t) => {
    const { b, seen, events } = await peerCloses(t, (b) => {
      b.close(4000, "handler");
      return { readyState: b.readyState };
    });
    assert_equals(seen.readyState, 3, "CLOSED right after the close() that replied");
    assert_equals(b.readyState, 3, "still CLOSED");
    await events.waitFor("a", "close");
    assert_entries(events.of("a"), [["a", "close", 4000, "handler", true, 3]],
      "the peer gets the handler's code and reason");
  }, `${label}: close(4000, "handler") in the close handler is the reply: the peer gets 4000 "handler"`);

  promise_test(async (t) => {
    const { seen, events } = await peerCloses(t, (b) => {
      const result = { readyState: b.readyState };
      b.send("late");
      result.afterSend = b.readyState;
      b.close(4000, "after send");
      return result;
    });
    assert_equals(seen.readyState, 2, "CLOSING before send()");
    assert_equals(seen.afterSend, 2, "still CLOSING after send()");
    await events.waitFor("a", "close");
    // On the wire "late" precedes the Close; a is CLOSING when it arrives,
    // so a's script is not told of it (see wpt/README.md: not observable).
    assert_entries(events.of("a", ["close", "error"]), [["a", "close", 4000, "after send", true, 3]],
      "the close() after send() is the reply");
  }, `${label}: send() in the close handler does not throw, and a close() after it is the reply`);

  promise_test(async (t) => {
    const { seen, events } = await peerCloses(t, (b) => {
      const thrown = [];
      for (const [what, call] of [
        ["close(1005)", () => b.close(1005)],
        ["close(4000, reason of 124 bytes)", () => b.close(4000, REASON_124_BYTES)],
      ]) {
        try {
          call();
          thrown.push([what, "no exception"]);
        } catch (e) {
          thrown.push([what, e.name, e.message]);
        }
      }
      const readyState = b.readyState;
      b.close(4001, "valid");
      return { thrown, readyState };
    });
    assert_entries(seen.thrown, [
      ["close(1005)", "InvalidAccessError", INVALID_CODE_MESSAGE(1005)],
      ["close(4000, reason of 124 bytes)", "SyntaxError", REASON_TOO_LONG_MESSAGE],
    ]);
    assert_equals(seen.readyState, 2, "the refused calls did not reply: still CLOSING");
    await events.waitFor("a", "close");
    assert_entries(events.of("a"), [["a", "close", 4001, "valid", true, 3]],
      "the first valid close() is the reply");
  }, `${label}: an invalid close() in the close handler throws and does not reply; the next valid one does`);
}
