// A WebSocket echo worker for hearth (and Cloudflare Workers).
//
//   hearth run examples/echo/worker.js
//   then connect a WebSocket client to ws://127.0.0.1:8787/
//
// Every message comes back prefixed with "echo: ". When the client closes,
// the close handler logs what it sees: with web_socket_auto_reply_to_close
// (compatibility date 2026-04-07 or later) the socket is already CLOSED (3)
// and the reply went out automatically; before that date it is CLOSING (2)
// and the handler's own close() is the reply.
export default {
  async fetch(request, env) {
    if (request.headers.get("Upgrade") !== "websocket") {
      const auto = Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close;
      return new Response(`${env.GREETING ?? "hello"} from hearth (auto reply to close: ${auto})\n`);
    }
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", (event) => {
      server.send(`echo: ${event.data}`);
    });
    server.addEventListener("close", (event) => {
      console.log("close", server.readyState, event.code, event.reason, event.wasClean);
      server.close(event.code, "done");
    });
    return new Response(null, { status: 101, webSocket: client });
  },
};
