// META: title=Close handler after accept({ allowHalfOpen: true }): send() works, close() is the reply, whatever the flag
// META: script=/websockets/resources/close-helpers.js
// META: script=/websockets/resources/manual-reply.js

// Contract § "Behaviour: auto vs manual": "manual" = flag off, OR
// accept({ allowHalfOpen: true }). These subtests (resources/
// manual-reply.js, the same ones close-handler-manual.any.js runs with the
// flag off) pass under either flag state.

manualHandlerTests({ allowHalfOpen: true });
