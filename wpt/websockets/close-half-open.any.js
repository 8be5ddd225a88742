// META: title=Close handshake after accept({ allowHalfOpen: true }): manual reply whatever the flag
// META: script=/websockets/resources/close-helpers.js
// META: script=/websockets/resources/manual-reply.js

// Contract § "Behaviour: auto vs manual": "manual" = flag off, OR
// accept({ allowHalfOpen: true }). So these subtests (resources/
// manual-reply.js, the same ones close-handshake-manual.any.js runs with the
// flag off) pass under either flag state: b, accepted with allowHalfOpen,
// does not reply to a's Close until its script calls close().

manualHandshakeTests({ allowHalfOpen: true });
