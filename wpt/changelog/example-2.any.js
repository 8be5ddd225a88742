// META: title=Changelog "WebSockets now automatically reply to Close frames", example 2 (allowHalfOpen)
// META: script=/changelog/resources/capture-console.js

// The changelog's second example ("Half-open mode for WebSocket proxying",
// shared/seed/websockets-auto-reply-to-close.md), run as published; the
// peer (the pair's other end) sends Close 1000. With allowHalfOpen the
// handler logs WebSocket.CLOSING under either flag state, and its
// close(event.code, "done") reaches the peer as 1000 "done" (contract §
// "Changelog examples"). Passes under both flag states.

// The example, verbatim.
function example2() {
  const [client, server] = Object.values(new WebSocketPair());

  server.accept({ allowHalfOpen: true });

  server.addEventListener("close", (event) => {
    // readyState is still CLOSING here, giving you time
    // to coordinate the close on the other side.
    console.log(server.readyState); // WebSocket.CLOSING

    // Manually close when ready.
    server.close(event.code, "done");
  });

  return [client, server];
}

promise_test(async (t) => {
  const logged = captureConsoleLog(t);
  const [client, server] = example2();
  let serverState;
  server.addEventListener("close", t.step_func(() => {
    serverState = server.readyState;
  }));
  const peerSaw = new Promise((resolve) => {
    client.addEventListener("close", t.step_func((event) => {
      resolve([event.code, event.reason, event.wasClean, client.readyState]);
    }));
  });
  client.accept();
  client.close(1000);
  const [code, reason, wasClean, readyState] = await peerSaw;
  assert_array_equals(logged, [WebSocket.CLOSING], "the handler logged WebSocket.CLOSING");
  assert_array_equals(logged, [2], "WebSocket.CLOSING is 2");
  assert_equals(serverState, 3, "the handler's close() made the server end CLOSED");
  assert_equals(code, 1000, "the peer's close event code: event.code");
  assert_equals(reason, "done", "the peer's close event reason");
  assert_true(wasClean, "wasClean");
  assert_equals(readyState, 3, "the peer is CLOSED");
}, "the close handler logs WebSocket.CLOSING (2), and its close(event.code, \"done\") reaches the peer as 1000 \"done\"");
