// META: title=Server-initiated close over the network in auto mode: CLOSED in the handler, send() throws, close() ignored
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Asserts the "auto" behaviour (web_socket_auto_reply_to_close on) of a
// `new WebSocket(url)` client whose server closes first (the test server's
// /remote-close): the client echoes at once, so its close handler sees
// CLOSED (contract § "Behaviour: auto vs manual"; RFC 6455 §5.5.1; WHATWG
// WebSockets: readyState is CLOSED when the close event fires).
//
// Expected to fail with the flag off (auto-reply-off.expectations.json);
// remote-close-manual.any.js asserts the other state.

// The test server closes with 4000 "bye"; the close handler sees CLOSED.
const serverCloses = (t, inHandler) => remoteClose(t, 3, "CLOSED", inHandler);

test(() => {
  assert_true(Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close);
}, "Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close is true");

promise_test(async (t) => {
  const { ws } = await serverCloses(t);
  assert_equals(ws.readyState, 3, "CLOSED after the handler");
}, "the server's Close 4000 \"bye\": the client's close handler sees readyState CLOSED (3)");

promise_test(async (t) => {
  const { seen } = await serverCloses(t, (ws) => {
    try {
      ws.send("late");
      return "no exception";
    } catch (e) {
      return [e instanceof TypeError, e.message];
    }
  });
  assert_array_equals(seen, [true, SEND_AFTER_CLOSE_MESSAGE], "send() threw this TypeError");
}, `send() in the close handler throws TypeError "${SEND_AFTER_CLOSE_MESSAGE}"`);

promise_test(async (t) => {
  const { seen } = await serverCloses(t, (ws) => {
    const result = {};
    try {
      ws.close(1005);
      result.close1005 = "no exception";
    } catch (e) {
      result.close1005 = `${e.name}: ${e.message}`;
    }
    ws.close(4001, "ignored");
    result.readyState = ws.readyState;
    return result;
  });
  assert_equals(seen.close1005, `InvalidAccessError: ${INVALID_CODE_MESSAGE(1005)}`, "close(1005) is validated");
  assert_equals(seen.readyState, 3, "close(4001, \"ignored\") did not throw and changed nothing");
}, "close() in the close handler is validated (close(1005) throws), then ignored");
