// The changelog's first example ("WebSockets now automatically reply to
// Close frames", 2026-04-07) as a worker: the client end of the pair goes
// back to the caller, the server end logs what its close handler sees.
//
//   hearth compare examples/changelog/auto-reply.js
//
// With web_socket_auto_reply_to_close on, the handler logs 3 (CLOSED), 1000,
// true and the caller receives the echoed Close at once; with it off, the
// handler logs 2 (CLOSING) and no Close comes back.
export default {
  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("connect with a WebSocket client\n", { status: 426 });
    }
    const [client, server] = Object.values(new WebSocketPair());

    server.accept();

    server.addEventListener("close", (event) => {
      // readyState is already CLOSED — no need to call server.close().
      console.log(server.readyState); // WebSocket.CLOSED
      console.log(event.code); // 1000
      console.log(event.wasClean); // true
    });

    return new Response(null, { status: 101, webSocket: client });
  },
};
