// Minimal WebSocket echo worker for `cargo bench --bench worker_echo`, run
// unchanged by hearth (`hearth run bench/echo-worker.js`) and workerd
// (`workerd serve bench/workerd-echo.capnp`). Every message goes back exactly
// as received (text as text, binary as binary); a plain GET answers "ok".
// binaryType is set to "arraybuffer" because from 2026-03-17 the default is
// "blob" (websocket_standard_binary_type), which would add a Blob round trip
// per message (and workerd's send() stringifies a Blob to "[object Blob]").
// No close handler: from 2026-04-07 (web_socket_auto_reply_to_close) both
// runtimes answer the client's close frame themselves.
export default {
  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("ok\n");
    }
    const [client, server] = Object.values(new WebSocketPair());
    server.binaryType = "arraybuffer";
    server.accept();
    server.addEventListener("message", (event) => server.send(event.data));
    return new Response(null, { status: 101, webSocket: client });
  },
};
