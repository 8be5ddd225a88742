// The changelog's second example (half-open mode for WebSocket proxying) as
// a worker: with { allowHalfOpen: true } the close handler sees CLOSING
// whatever the flag, and its own close(event.code, "done") is the reply the
// caller receives.
//
//   hearth compare examples/changelog/half-open.js
export default {
  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("connect with a WebSocket client\n", { status: 426 });
    }
    const [client, server] = Object.values(new WebSocketPair());

    server.accept({ allowHalfOpen: true });

    server.addEventListener("close", (event) => {
      // readyState is still CLOSING here, giving you time
      // to coordinate the close on the other side.
      console.log(server.readyState); // WebSocket.CLOSING

      // Manually close when ready.
      server.close(event.code, "done");
    });

    return new Response(null, { status: 101, webSocket: client });
  },
};
