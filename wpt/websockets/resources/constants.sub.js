// Where the WebSocket test server is, in the spelling of WPT's
// websockets/constants.sub.js: the runner substitutes {{host}} and
// {{ports[ws][0]}} with the address of its server, which has WPT's
// websockets handlers (/echo, /remote-close, /delayed-passive-close, ...).
// Only plain ws:// is served; there is no ?wss variant.

const SERVER_HOST = "{{host}}";
const SERVER_PORT = "{{ports[ws][0]}}";
const SCHEME_DOMAIN_PORT = "ws://" + SERVER_HOST + ":" + SERVER_PORT;

// The URL of a handler of the test server, e.g. wsUrl("/remote-close",
// { code: 4000, reason: "bye" }).
function wsUrl(path, query) {
  let url = SCHEME_DOMAIN_PORT + path;
  if (query !== undefined) {
    url += "?" + new URLSearchParams(query).toString();
  }
  return url;
}

// A WebSocket to a handler of the test server (default: the echo handler).
function CreateWebSocket(path = "/echo", query = undefined, protocols = undefined) {
  return new WebSocket(wsUrl(path, query), protocols);
}

// A WebSocket to `path` once it is OPEN, for promise tests. The test fails
// if an error or close event comes first.
function openWebSocket(t, path = "/echo", query = undefined) {
  const ws = CreateWebSocket(path, query);
  return new Promise((resolve) => {
    const fail = t.step_func((event) => {
      assert_unreached(`${event.type} event before open (${path})`);
    });
    ws.addEventListener("error", fail);
    ws.addEventListener("close", fail);
    ws.addEventListener("open", t.step_func(() => {
      ws.removeEventListener("error", fail);
      ws.removeEventListener("close", fail);
      resolve(ws);
    }));
  });
}
