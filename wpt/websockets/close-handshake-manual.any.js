// META: title=Close handshake in manual mode (flag off): readyState CLOSING in the handler, close() is the reply
// META: script=/websockets/resources/close-helpers.js
// META: script=/websockets/resources/manual-reply.js

// Asserts the "manual" behaviour with web_socket_auto_reply_to_close off and
// accept() without options (contract § "Behaviour: auto vs manual"; the
// production runtime before 2026-04-07). The subtests are in
// resources/manual-reply.js; close-half-open.any.js runs the same ones with
// allowHalfOpen, under either flag state.
//
// Expected to fail with the flag on (auto-reply-on.expectations.json);
// close-handshake-auto.any.js asserts the other state.

test(() => {
  assert_false(Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close);
}, "Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close is false");

manualHandshakeTests(undefined);
