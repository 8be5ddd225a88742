// WebSocket (WHATWG WebSockets §3) with the Workers extensions: WebSocketPair,
// accept(), and `new Response(null, { status: 101, webSocket })`.
//
// The socket itself lives in Rust; this object holds only the id. Rust
// delivers events through `internals.wsEvent(id, type, a, b, c)`.

const { DOMException, throwIfError, toUSVString, EventTarget, Event, MessageEvent, CloseEvent, ErrorEvent } = internals;

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;

// id -> WebSocket, for event delivery. Entries are dropped after "close".
const sockets = new Map();

// Lets the glue create a WebSocket around an existing id without exposing a
// way for user code to do so.
const kFromId = Symbol("fromId");

let wsInternals;

// RFC 6455 §4.1: a subprotocol is a token.
const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

class WebSocket extends EventTarget {
  #id;
  #binaryType;

  constructor(url, protocols = undefined) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'WebSocket': 1 argument required, but only 0 present.");
    }
    super();
    if (url === kFromId) {
      this.#id = protocols;
    } else {
      this.#id = connect(url, protocols);
    }
    // Read lazily per socket so flags resolved in 99_bootstrap apply.
    this.#binaryType = internals.compatFlags?.websocket_standard_binary_type ? "blob" : "arraybuffer";
    sockets.set(this.#id, this);
  }

  static {
    wsInternals = {
      is: (v) => v !== null && typeof v === "object" && #id in v,
      id: (ws) => ws.#id,
      binaryType: (ws) => ws.#binaryType,
    };
  }

  static #check(o) { if (!(#id in o)) throw internals.illegalInvocation(); }

  // Workers: a server-side socket from a WebSocketPair must be accepted before
  // it can send or receive.
  accept(options = undefined) {
    WebSocket.#check(this);
    const opts = internals.toDictionary(options, "WebSocketAcceptOptions");
    throwIfError(ops.wsAccept(this.#id, !!opts.allowHalfOpen));
  }

  send(data) {
    WebSocket.#check(this);
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'send' on 'WebSocket': 1 argument required, but only 0 present.");
    }
    let payload;
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      payload = data;
    } else {
      const blob = internals.blobBytes(data);
      // Blob contents are in memory here, so they can be sent synchronously.
      payload = blob !== null ? blob.slice() : toUSVString(data);
    }
    throwIfError(ops.wsSend(this.#id, payload));
  }

  close(code = undefined, reason = undefined) {
    WebSocket.#check(this);
    // Range and reason-length checks happen in Rust so its messages are the
    // ones users see; here only the WebIDL-ish conversions are done.
    let c;
    if (code !== undefined) {
      c = Math.trunc(Number(code));
      if (c === 0) c = 0; // -0 -> 0
    }
    const r = reason === undefined ? undefined : toUSVString(reason);
    throwIfError(ops.wsClose(this.#id, c, r));
  }

  get readyState() { WebSocket.#check(this); return ops.wsReadyState(this.#id); }
  get bufferedAmount() { WebSocket.#check(this); return ops.wsBufferedAmount(this.#id); }
  get url() { WebSocket.#check(this); return ops.wsInfo(this.#id).url; }
  get protocol() { WebSocket.#check(this); return ops.wsInfo(this.#id).protocol; }
  get extensions() { WebSocket.#check(this); return ops.wsInfo(this.#id).extensions; }

  get binaryType() { WebSocket.#check(this); return this.#binaryType; }
  set binaryType(value) {
    WebSocket.#check(this);
    // Enum attribute: invalid values are ignored (WebIDL §3.2.20 enumerations
    // on attribute setters).
    const v = `${value}`;
    if (v === "blob" || v === "arraybuffer") this.#binaryType = v;
  }
}

for (const [name, value] of [["CONNECTING", CONNECTING], ["OPEN", OPEN], ["CLOSING", CLOSING], ["CLOSED", CLOSED]]) {
  const desc = { value, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(WebSocket, name, desc);
  Object.defineProperty(WebSocket.prototype, name, desc);
}
for (const name of ["onopen", "onmessage", "onerror", "onclose"]) {
  internals.defineEventHandler(WebSocket.prototype, name);
}

// WebSockets §3.1 constructor steps 1-9 (URL and protocol validation), then
// the native connect.
function connect(url, protocols) {
  const parts = ops.urlParse(toUSVString(url), undefined);
  if (parts === null) {
    throw new DOMException(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`, "SyntaxError");
  }
  let href = parts[0];
  const scheme = parts[1];
  if (scheme === "http:") href = "ws:" + href.slice(5);
  else if (scheme === "https:") href = "wss:" + href.slice(6);
  else if (scheme !== "ws:" && scheme !== "wss:") {
    throw new DOMException(`Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${scheme.slice(0, -1)}' is not allowed.`, "SyntaxError");
  }
  // A fragment, even an empty one, is refused. "#" only appears in a
  // serialized URL as the fragment delimiter.
  if (href.includes("#")) {
    throw new DOMException(`Failed to construct 'WebSocket': The URL contains a fragment identifier ('${parts[9].slice(1)}'). Fragment identifiers are not allowed in WebSocket URLs.`, "SyntaxError");
  }
  let list;
  if (protocols === undefined) list = [];
  else if (typeof protocols === "string" || protocols === null || typeof protocols !== "object") list = [`${protocols}`];
  else list = Array.from(protocols, (p) => `${p}`);
  const seen = new Set();
  for (const p of list) {
    if (!tokenRe.test(p)) {
      throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is invalid.`, "SyntaxError");
    }
    if (seen.has(p)) {
      throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is duplicated.`, "SyntaxError");
    }
    seen.add(p);
  }
  return throwIfError(ops.wsConnect(href, list));
}

class WebSocketPair {
  constructor() {
    const [a, b] = throwIfError(ops.wsPair());
    // Own enumerable "0" and "1" so Object.values(pair) works as in Workers.
    this[0] = new WebSocket(kFromId, a);
    this[1] = new WebSocket(kFromId, b);
  }

  // Extension so `const [client, server] = new WebSocketPair()` also works.
  *[Symbol.iterator]() {
    yield this[0];
    yield this[1];
  }
}

// Called by Rust, one task per event.
function wsEvent(id, type, a, b, c) {
  const ws = sockets.get(id);
  if (ws === undefined) return;
  let event;
  switch (type) {
    case "open":
      event = new Event("open");
      break;
    case "message": {
      let data = a;
      if (typeof data !== "string" && wsInternals.binaryType(ws) === "blob") {
        data = internals.blobFromBytes(new Uint8Array(data));
      }
      event = new MessageEvent("message", { data });
      break;
    }
    case "error":
      event = new ErrorEvent("error", { message: a === undefined ? "" : `${a}` });
      break;
    case "close":
      sockets.delete(id);
      event = new CloseEvent("close", { code: a, reason: b, wasClean: !!c });
      break;
    default:
      return;
  }
  internals.dispatchTrusted(ws, event);
}

internals.WebSocket = WebSocket;
internals.WebSocketPair = WebSocketPair;
internals.wsEvent = wsEvent;
internals.isWebSocket = wsInternals.is;
internals.webSocketId = wsInternals.id;
// The end returned in a 101 Response is handed to Rust and gets no more JS
// events, so its registry entry is dropped.
internals.forgetWebSocket = (id) => { sockets.delete(id); };
