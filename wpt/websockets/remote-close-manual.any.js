// META: title=Server-initiated close over the network in manual mode: CLOSING in the handler until close()
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Asserts the "manual" behaviour (web_socket_auto_reply_to_close off) of a
// `new WebSocket(url)` client whose server closes first (the test server's
// /remote-close): the client does not reply until its script calls close(),
// so its close handler sees CLOSING (contract § "Behaviour: auto vs manual").
// (A `new WebSocket(url)` has no accept() and so no allowHalfOpen.)
//
// Expected to fail with the flag on (auto-reply-on.expectations.json);
// remote-close-auto.any.js asserts the other state.

// The test server closes with 4000 "bye"; the close handler sees CLOSING.
const serverCloses = (t, inHandler) => remoteClose(t, 2, "CLOSING", inHandler);

test(() => {
  assert_false(Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close);
}, "Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close is false");

promise_test(async (t) => {
  const { ws, events } = await serverCloses(t);
  await nextTask(t);
  assert_equals(ws.readyState, 2, "still CLOSING in a later task");
  ws.close(4001, "reply");
  assert_equals(ws.readyState, 3, "CLOSED at once: close() was the reply");
  // A second close event would be a task of its own; nothing marks that
  // none is coming: hence a short window.
  await quietWindow(t);
  assert_equals(events.of("ws", ["close", "error"]).length, 1, "one close event, no error event");
}, "the server's Close 4000 \"bye\": the close handler sees CLOSING (2), which lasts until the script's close(), which makes it CLOSED");

promise_test(async (t) => {
  const { ws, seen } = await serverCloses(t, (ws) => {
    ws.send("late");
    return ws.readyState;
  });
  assert_equals(seen, 2, "send() did not throw; still CLOSING");
  ws.close();
  assert_equals(ws.readyState, 3, "the empty reply makes it CLOSED");
}, "send() in the close handler does not throw");

promise_test(async (t) => {
  const { ws, seen } = await serverCloses(t, (ws) => {
    const result = {};
    try {
      ws.close(1005);
      result.close1005 = "no exception";
    } catch (e) {
      result.close1005 = `${e.name}: ${e.message}`;
    }
    result.afterInvalid = ws.readyState;
    ws.close(4001, "reply");
    result.afterReply = ws.readyState;
    return result;
  });
  assert_equals(seen.close1005, `InvalidAccessError: ${INVALID_CODE_MESSAGE(1005)}`, "close(1005) is validated");
  assert_equals(seen.afterInvalid, 2, "the refused close() did not reply");
  assert_equals(seen.afterReply, 3, "close(4001, \"reply\") replied");
  assert_equals(ws.readyState, 3, "CLOSED");
}, "close() in the close handler is validated (close(1005) throws), then a valid one is the reply");
