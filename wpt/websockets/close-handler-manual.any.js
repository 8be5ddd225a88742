// META: title=Close handler in manual mode (flag off): send() works, close() is the reply
// META: script=/websockets/resources/close-helpers.js
// META: script=/websockets/resources/manual-reply.js

// Asserts the "manual" behaviour, with web_socket_auto_reply_to_close off
// and accept() without options, of calls made inside the close handler that
// follows the peer's Close (contract § "Behaviour: auto vs manual", rows
// "close(code, reason) in the handler" and "send() in the handler"). The
// subtests are in resources/manual-reply.js; close-half-open-handler.any.js
// runs the same ones with allowHalfOpen, under either flag state.
//
// Expected to fail with the flag on (auto-reply-on.expectations.json);
// close-handler-auto.any.js asserts the other state.

test(() => {
  assert_false(Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close);
}, "Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close is false");

manualHandlerTests(undefined);
