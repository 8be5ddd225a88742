// META: title=Changelog "WebSockets now automatically reply to Close frames", example 1
// META: script=/changelog/resources/capture-console.js

// The changelog's first example (shared/seed/websockets-auto-reply-to-close.md),
// run as published; the peer (the pair's other end) sends Close 1000. Its
// comments describe the flag ON: the handler logs WebSocket.CLOSED, 1000,
// true. With the flag off the contract says it logs WebSocket.CLOSING
// (contract § "Changelog examples"). Each subtest asserts one state: the
// flag-off subtest is an expected failure in auto-reply-on.expectations.json
// and the flag-on one in auto-reply-off.expectations.json.

// The example, verbatim.
function example1() {
  const [client, server] = Object.values(new WebSocketPair());

  server.accept();

  server.addEventListener("close", (event) => {
    // readyState is already CLOSED — no need to call server.close().
    console.log(server.readyState); // WebSocket.CLOSED
    console.log(event.code); // 1000
    console.log(event.wasClean); // true
  });

  return [client, server];
}

// Run the example and have the peer send Close 1000; resolves with what the
// handler logged, once it has run.
function runExample1(t) {
  const logged = captureConsoleLog(t);
  const [client, server] = example1();
  const handled = new Promise((resolve) => {
    // Registered after the example's listener, so it runs after it.
    server.addEventListener("close", t.step_func(() => resolve(logged.slice())));
  });
  client.accept();
  client.close(1000);
  return handled;
}

promise_test(async (t) => {
  const logged = await runExample1(t);
  assert_array_equals(logged, [WebSocket.CLOSED, 1000, true]);
  assert_array_equals(logged, [3, 1000, true]);
}, "flag on: the close handler logs WebSocket.CLOSED (3), 1000, true, as the example's comments say");

promise_test(async (t) => {
  const logged = await runExample1(t);
  assert_array_equals(logged, [WebSocket.CLOSING, 1000, true]);
  assert_array_equals(logged, [2, 1000, true]);
}, "flag off: the close handler logs WebSocket.CLOSING (2), 1000, true, as the contract says");
