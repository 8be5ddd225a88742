//! Shared by the JavaScript WebSocket tests (`js_websocket`,
//! `js_websocket_pair`): the worker whose handlers log what they see, the
//! worker modes, and helpers for starting it and reading its log lines.
//!
//! Log lines: `EVENT {json}` for every event a socket gets (type, code,
//! reason, wasClean, and the readyState its handler sees), `ACT {json}` for
//! what a handler did and how that went.

use serde_json::Value;

use super::hearth_process::{Hearth, write_files};

pub const WORKER: &str = concat!(
    js_test_helpers!(),
    r##"
function log(kind, value) {
  console.log(`${kind} ${JSON.stringify(value)}`);
}

function seen(type, event, ws) {
  switch (type) {
    case "message":
      return {
        type,
        data: typeof event.data === "string" ? event.data : Object.prototype.toString.call(event.data),
        readyState: ws.readyState,
      };
    case "close":
      return { type, code: event.code, reason: event.reason, wasClean: event.wasClean, readyState: ws.readyState };
    default:
      return { type, readyState: ws.readyState };
  }
}

// Log every event `ws` gets, then run `after(type, event)`.
function observe(ws, after = () => {}) {
  for (const type of ["open", "message", "error", "close"]) {
    ws.addEventListener(type, (event) => {
      log("EVENT", seen(type, event, ws));
      after(type, event);
    });
  }
}

function acceptOptions(params) {
  return params.get("half") === "1" ? { allowHalfOpen: true } : undefined;
}

function upgrade(client) {
  return new Response(null, { status: 101, webSocket: client });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const closeOf = (ws) => new Promise((resolve) => ws.addEventListener("close", resolve));

// Both ends of a new pair, accepted.
function accepted(options = undefined) {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept(options);
  b.accept(options);
  return [a, b];
}

const routes = {
  // ---- the peer is the test's raw client ----

  "/peer-close"(params) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept(acceptOptions(params));
    const act = params.get("act");
    observe(server, (type) => {
      if (type !== "close") return;
      if (act === "close") {
        log("ACT", {
          close1005: attempt(() => server.close(1005)),
          close: attempt(() => server.close(4000, "handler")),
          readyState: server.readyState,
        });
      } else if (act === "send") {
        log("ACT", {
          send: attempt(() => server.send("late")),
          close: attempt(() => server.close(4000, "after send")),
          readyState: server.readyState,
        });
      }
    });
    return upgrade(client);
  },

  "/script-close"(params) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept(acceptOptions(params));
    const close = () => {
      server.close(4001, "server-bye");
      log("ACT", { readyState: server.readyState });
    };
    observe(server, (type) => {
      if (type === "message") close();
    });
    if (params.get("when") === "fetch") close();
    return upgrade(client);
  },

  "/observe"(params) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept(acceptOptions(params));
    observe(server);
    return upgrade(client);
  },

  "/binary"() {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    log("BINARYTYPE", server.binaryType);
    server.addEventListener("message", async (event) => {
      const data = event.data;
      let bytes = null;
      if (data instanceof Blob) bytes = new Uint8Array(await data.arrayBuffer());
      else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
      log("BINARY", {
        blob: data instanceof Blob,
        arrayBuffer: data instanceof ArrayBuffer,
        bytes: bytes === null ? null : Array.from(bytes),
      });
    });
    return upgrade(client);
  },

  // Marks a point in the event log.
  "/mark"() {
    log("EVENT", { type: "mark" });
    return new Response("marked");
  },

  // ---- both ends in this worker ----

  "/shape"() {
    const pair = new WebSocketPair();
    const [a, b] = Object.values(pair);
    return {
      keys: Object.keys(pair),
      sameObjects: a === pair[0] && b === pair[1],
      isWebSocket: [a instanceof WebSocket, b instanceof WebSocket, a instanceof EventTarget],
      constants: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED],
      onInstances: [a.CONNECTING, a.OPEN, a.CLOSING, a.CLOSED],
      readyStateBeforeAccept: [a.readyState, b.readyState],
    };
  },

  async "/validation"() {
    const fresh = () => accepted()[0];
    const long = "é".repeat(62); // 62 characters, 124 bytes
    const codes = [999, 1000, 1004, 1005, 1006, 1015, 1016, 2999, 3000, 4999, 5000]
      .map((code) => [code, attempt(() => fresh().close(code))]);
    const noArguments = fresh();
    const noArgumentsResult = [attempt(() => noArguments.close()), noArguments.readyState];
    const [a, b] = accepted();
    const peerSaw = closeOf(b);
    const repeated = [
      attempt(() => a.close(1000, "first")),
      attempt(() => a.close(4000, "second")),
      attempt(() => a.close(1005)),
      attempt(() => a.close(4000, long)),
      a.readyState,
    ];
    const event = await peerSaw;
    const sendAfterClose = fresh();
    sendAfterClose.close(1000);
    return {
      codes,
      reason123: attempt(() => fresh().close(1000, "é".repeat(61) + "a")),
      reason124: attempt(() => fresh().close(1000, long)),
      codeCheckedFirst: attempt(() => fresh().close(1005, long)),
      reasonWithoutCode: attempt(() => fresh().close(undefined, "why")),
      noArguments: noArgumentsResult,
      repeated,
      peerSaw: [event.code, event.reason],
      sendAfterClose: attempt(() => sendAfterClose.send("x")),
    };
  },

  async "/buffered"() {
    const [a, b] = Object.values(new WebSocketPair());
    a.accept();
    b.binaryType = "arraybuffer";
    const got = [];
    let all;
    const three = new Promise((resolve) => { all = resolve; });
    b.addEventListener("message", (e) => {
      got.push(typeof e.data === "string" ? e.data : Array.from(new Uint8Array(e.data)));
      if (got.length === 3) all();
    });
    a.send("one");
    a.send(new Uint8Array([1, 2]));
    a.send("three");
    // Nothing may arrive before accept(), however long we wait.
    await sleep(20);
    const beforeAccept = got.length;
    b.accept();
    await three;
    return { beforeAccept, got };
  },

  async "/tasks"() {
    const [a, b] = accepted();
    const order = [];
    const message = new Promise((resolve) => b.addEventListener("message", (e) => {
      order.push(`message ${e.data}`);
      resolve();
    }));
    a.send("x");
    order.push("after send");
    await Promise.resolve();
    order.push("after a microtask");
    await new Promise((resolve) => queueMicrotask(resolve));
    order.push("after queueMicrotask");
    await message;
    order.push("after the message event");
    const closed = new Promise((resolve) => b.addEventListener("close", (e) => {
      order.push(`close ${e.code}`);
      resolve();
    }));
    a.close(1000);
    order.push("after close");
    await Promise.resolve();
    order.push("after another microtask");
    await closed;
    return order;
  },

  async "/pair-close"(params) {
    const [a, b] = accepted(acceptOptions(params));
    const log = [];
    const errors = [];
    a.addEventListener("error", () => errors.push("a"));
    b.addEventListener("error", () => errors.push("b"));
    // Each end's own readyState in its handler; the other end's is only
    // read synchronously after a script call, where it cannot have moved.
    const record = (name, ws) => new Promise((resolve) => ws.addEventListener("close", (e) => {
      log.push([name, e.code, e.reason, e.wasClean, ws.readyState]);
      resolve();
    }));
    const aClosed = record("a", a);
    const bClosed = record("b", b);
    a.close(1000, "bye");
    log.push(["a.close", a.readyState, b.readyState]);
    await bClosed;
    await sleep(10);
    log.push(["later", a.readyState, b.readyState]);
    log.push(["b.close", attempt(() => b.close(4002, "reply")), a.readyState, b.readyState]);
    await aClosed;
    // Room for a stray error event, had there been one.
    await sleep(10);
    return { log, errors };
  },

  async "/simultaneous"() {
    const [a, b] = accepted();
    const errors = [];
    a.addEventListener("error", () => errors.push("a"));
    b.addEventListener("error", () => errors.push("b"));
    const events = {};
    const record = (name, ws) => new Promise((resolve) => ws.addEventListener("close", (e) => {
      events[name] = [e.code, e.reason, e.wasClean, ws.readyState];
      resolve();
    }));
    const done = Promise.all([record("a", a), record("b", b)]);
    a.close(4001, "from a");
    b.close(4002, "from b");
    const during = [a.readyState, b.readyState];
    await done;
    await sleep(10);
    return { during, a: events.a, b: events.b, final: [a.readyState, b.readyState], errors };
  },

  "/binary-type"() {
    const [a, b] = Object.values(new WebSocketPair());
    const initial = [a.binaryType, b.binaryType];
    b.binaryType = "nonsense";
    const afterInvalid = b.binaryType;
    b.binaryType = "arraybuffer";
    const afterArrayBuffer = b.binaryType;
    b.binaryType = "blob";
    return { initial, afterInvalid, afterArrayBuffer, afterBlob: b.binaryType };
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const route = routes[url.pathname];
    if (route === undefined) return new Response("no such route", { status: 404 });
    const result = await route(url.searchParams);
    return result instanceof Response ? result : Response.json(result);
  },
};
"##
);

/// Echoes every message with an "echo:" prefix (the other process of the
/// `new WebSocket()` test).
pub const ECHO_WORKER: &str = r##"
export default {
  fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", (event) => server.send(`echo:${event.data}`));
    return new Response(null, { status: 101, webSocket: client });
  },
};
"##;

/// Connects to `?target=`, sends "hi", closes on the first message and
/// answers with everything it saw.
pub const CLIENT_WORKER: &str = r##"
export default {
  async fetch(request) {
    const target = new URL(request.url).searchParams.get("target");
    const ws = new WebSocket(target);
    const log = [["constructed", ws.readyState, ws.url]];
    await new Promise((resolve) => {
      ws.addEventListener("open", () => {
        log.push(["open", ws.readyState, ws.protocol]);
        ws.send("hi");
      });
      ws.addEventListener("message", (event) => {
        log.push(["message", event.data]);
        ws.close(1000, "done");
        log.push(["closing", ws.readyState]);
      });
      ws.addEventListener("error", (event) => log.push(["error", event.message]));
      ws.addEventListener("close", (event) => {
        log.push(["close", event.code, event.reason, event.wasClean, ws.readyState]);
        resolve();
      });
    });
    return Response.json(log);
  },
};
"##;

/// A way to run the worker: command-line settings, `allowHalfOpen`, and
/// whether that makes the socket "auto" (replies to a peer Close by itself).
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    pub args: &'static [&'static str],
    pub half_open: bool,
    pub auto: bool,
}

impl Mode {
    pub fn path(&self, route: &str, query: &str) -> String {
        format!("{route}?half={}&{query}", u8::from(self.half_open))
    }
}

pub const ON: &[&str] = &["--compatibility-date", "2026-04-07"];
pub const OFF: &[&str] = &["--compatibility-date", "2026-04-06"];

/// Every combination of flag state (by date and by explicit flag) and `allowHalfOpen`.
pub const MODES: &[Mode] = &[
    Mode {
        args: ON,
        half_open: false,
        auto: true,
    },
    Mode {
        args: &[
            "--compatibility-date",
            "2026-04-06",
            "--compatibility-flags",
            "web_socket_auto_reply_to_close",
        ],
        half_open: false,
        auto: true,
    },
    Mode {
        args: ON,
        half_open: true,
        auto: false,
    },
    Mode {
        args: OFF,
        half_open: false,
        auto: false,
    },
    Mode {
        args: OFF,
        half_open: true,
        auto: false,
    },
    Mode {
        args: &[
            "--compatibility-date",
            "2026-04-07",
            "--compatibility-flags",
            "web_socket_manual_reply_to_close",
        ],
        half_open: false,
        auto: false,
    },
];

pub fn modes(auto: bool) -> impl Iterator<Item = Mode> {
    MODES.iter().copied().filter(move |m| m.auto == auto)
}

/// For rules that must not depend on the mode: one auto, one manual.
pub fn both_dates() -> [Mode; 2] {
    [
        Mode {
            args: ON,
            half_open: false,
            auto: true,
        },
        Mode {
            args: OFF,
            half_open: false,
            auto: false,
        },
    ]
}

/// `hearth run worker.js ARGS` in a fresh directory (kept as long as the process).
pub fn serve_worker(source: &str, args: &[&str]) -> (Hearth, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", source)]);
    let mut all = vec!["worker.js"];
    all.extend_from_slice(args);
    (Hearth::start(dir.path(), &all), dir)
}

pub fn serve(args: &[&str]) -> (Hearth, tempfile::TempDir) {
    serve_worker(WORKER, args)
}

pub async fn get_json(hearth: &Hearth, path: &str) -> Value {
    let (status, body) = hearth.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// The line the worker logs for a close event (keys in the worker's order).
pub fn close_line(code: u16, reason: &str, was_clean: bool, ready_state: u8) -> String {
    let reason = serde_json::to_string(reason).unwrap();
    format!(
        r#"EVENT {{"type":"close","code":{code},"reason":{reason},"wasClean":{was_clean},"readyState":{ready_state}}}"#
    )
}

pub const DISCONNECTED: &str = "WebSocket disconnected without sending Close frame.";

pub fn invalid_code(code: u16) -> String {
    format!("DOMException(InvalidAccessError, 15): Invalid WebSocket close code: {code}.")
}

pub const REASON_TOO_LONG: &str = "DOMException(SyntaxError, 12): WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.";
pub const SEND_AFTER_CLOSE: &str = "TypeError: Can't call WebSocket send() after close().";
