//! Every rule of `shared/spec/websocket-close.md` through JavaScript: a real
//! `hearth run` process, a worker whose handlers log what they see, and the
//! raw-frame client as the network peer; plus `WebSocketPair` semantics with
//! both ends in the worker, and `new WebSocket(url)` to a second process.
//!
//! Log lines: `EVENT {json}` for every event a socket gets (type, code,
//! reason, wasClean, and the readyState its handler sees), `ACT {json}` for
//! what a handler did and how that went.

mod support;

use serde_json::{Value, json};
use support::hearth_process::{Hearth, write_files};
use support::*;

const WORKER: &str = r##"
function describe(e) {
  return e instanceof DOMException
    ? `DOMException(${e.name}, ${e.code}): ${e.message}`
    : `${e.constructor.name}: ${e.message}`;
}

function attempt(fn) {
  try {
    fn();
    return "ok";
  } catch (e) {
    return describe(e);
  }
}

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
"##;

/// Echoes every message with an "echo:" prefix (the other process of the
/// `new WebSocket()` test).
const ECHO_WORKER: &str = r##"
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
const CLIENT_WORKER: &str = r##"
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
struct Mode {
    args: &'static [&'static str],
    half_open: bool,
    auto: bool,
}

impl Mode {
    fn path(&self, route: &str, query: &str) -> String {
        format!("{route}?half={}&{query}", u8::from(self.half_open))
    }
}

const ON: &[&str] = &["--compatibility-date", "2026-04-07"];
const OFF: &[&str] = &["--compatibility-date", "2026-04-06"];

/// Every combination of flag state (by date and by explicit flag) and `allowHalfOpen`.
const MODES: &[Mode] = &[
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

fn modes(auto: bool) -> impl Iterator<Item = Mode> {
    MODES.iter().copied().filter(move |m| m.auto == auto)
}

/// For rules that must not depend on the mode: one auto, one manual.
fn both_dates() -> [Mode; 2] {
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
fn serve_worker(source: &str, args: &[&str]) -> (Hearth, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", source)]);
    let mut all = vec!["worker.js"];
    all.extend_from_slice(args);
    (Hearth::start(dir.path(), &all), dir)
}

fn serve(args: &[&str]) -> (Hearth, tempfile::TempDir) {
    serve_worker(WORKER, args)
}

async fn get_json(hearth: &Hearth, path: &str) -> Value {
    let (status, body) = hearth.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// The line the worker logs for a close event (keys in the worker's order).
fn close_line(code: u16, reason: &str, was_clean: bool, ready_state: u8) -> String {
    let reason = serde_json::to_string(reason).unwrap();
    format!(
        r#"EVENT {{"type":"close","code":{code},"reason":{reason},"wasClean":{was_clean},"readyState":{ready_state}}}"#
    )
}

const DISCONNECTED: &str = "WebSocket disconnected without sending Close frame.";

fn invalid_code(code: u16) -> String {
    format!("DOMException(InvalidAccessError, 15): Invalid WebSocket close code: {code}.")
}

const REASON_TOO_LONG: &str = "DOMException(SyntaxError, 12): WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.";
const SEND_AFTER_CLOSE: &str = "TypeError: Can't call WebSocket send() after close().";

// ---- constants, pair shape, close() validation ----

#[tokio::test]
async fn ready_state_constants_and_the_shape_of_a_websocket_pair() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/shape").await,
        json!({
            "keys": ["0", "1"],
            "sameObjects": true,
            "isWebSocket": [true, true, true],
            "constants": [0, 1, 2, 3],
            "onInstances": [0, 1, 2, 3],
            "readyStateBeforeAccept": [1, 1]
        })
    );
}

#[tokio::test]
async fn close_arguments_are_validated_with_the_exact_error_class_and_message() {
    let mut codes = vec![];
    for code in [
        999, 1000, 1004, 1005, 1006, 1015, 1016, 2999, 3000, 4999, 5000,
    ] {
        let valid = matches!(code, 1000 | 1016 | 2999 | 3000 | 4999);
        let result = if valid {
            "ok".into()
        } else {
            invalid_code(code)
        };
        codes.push(json!([code, result]));
    }
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        assert_eq!(
            get_json(&hearth, "/validation").await,
            json!({
                "codes": codes,
                "reason123": "ok",
                "reason124": REASON_TOO_LONG,
                "codeCheckedFirst": invalid_code(1005),
                "reasonWithoutCode": "DOMException(InvalidAccessError, 15): If you specify a WebSocket close reason, you must also specify a code.",
                "noArguments": ["ok", 2],
                // A second close() is validated, then does nothing.
                "repeated": ["ok", "ok", invalid_code(1005), REASON_TOO_LONG, 2],
                "peerSaw": [1000, "first"],
                "sendAfterClose": SEND_AFTER_CLOSE
            }),
            "{mode:?}"
        );
    }
}

// ---- a Close frame from the network peer ----

#[tokio::test]
async fn peer_close_is_echoed_byte_for_byte_and_the_handler_sees_closed_in_auto_mode() {
    let reason = "günaydın ✓";
    for mode in modes(true) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=none")).await;
        client.send_close(Some((4321, reason))).await;
        let echo = client.read().await;
        assert_eq!(echo.opcode, CLOSE, "{mode:?}");
        assert_eq!(
            echo.payload,
            close_payload(4321, reason.as_bytes()),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(4321, reason, true, 3),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn peer_close_gets_no_reply_and_the_handler_sees_closing_in_manual_mode() {
    for mode in modes(false) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=none")).await;
        client.send_close(Some((1000, "bye"))).await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "bye", true, 2),
            "{mode:?}"
        );
        // The handler has run; still nothing on the wire, and TCP stays open.
        client.expect_quiet().await;
    }
}

#[tokio::test]
async fn an_empty_peer_close_is_1005_with_an_empty_reason_and_is_echoed_empty_in_auto_mode() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=none")).await;
        client.send_close(None).await;
        if mode.auto {
            let echo = client.read().await;
            assert_eq!((echo.opcode, echo.payload.len()), (CLOSE, 0), "{mode:?}");
            client.expect_eof().await;
            assert_eq!(
                hearth.stdout_line("EVENT "),
                close_line(1005, "", true, 3),
                "{mode:?}"
            );
        } else {
            assert_eq!(
                hearth.stdout_line("EVENT "),
                close_line(1005, "", true, 2),
                "{mode:?}"
            );
            client.expect_quiet().await;
        }
    }
}

#[tokio::test]
async fn close_in_the_close_handler_is_validated_then_ignored_in_auto_mode() {
    for mode in modes(true) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=close")).await;
        client.send_close(Some((1000, "bye"))).await;
        // The peer gets the echo, not the handler's 4000 "handler".
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((1000, "bye".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "bye", true, 3)
        );
        assert_eq!(
            hearth.stdout_line("ACT "),
            format!(
                r#"ACT {{"close1005":"{}","close":"ok","readyState":3}}"#,
                invalid_code(1005)
            ),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn close_in_the_close_handler_is_the_reply_in_manual_mode() {
    for mode in modes(false) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=close")).await;
        client.send_close(Some((1000, "bye"))).await;
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4000, "handler".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "bye", true, 2)
        );
        assert_eq!(
            hearth.stdout_line("ACT "),
            format!(
                r#"ACT {{"close1005":"{}","close":"ok","readyState":3}}"#,
                invalid_code(1005)
            ),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn send_in_the_close_handler_throws_in_auto_mode() {
    for mode in modes(true) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=send")).await;
        client.send_close(Some((1000, "bye"))).await;
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((1000, "bye".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("ACT "),
            format!(r#"ACT {{"send":"{SEND_AFTER_CLOSE}","close":"ok","readyState":3}}"#),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn send_in_the_close_handler_reaches_the_peer_before_the_reply_in_manual_mode() {
    for mode in modes(false) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=send")).await;
        client.send_close(Some((1000, "bye"))).await;
        let late = client.read().await;
        assert_eq!(
            (late.opcode, late.payload.as_slice()),
            (TEXT, &b"late"[..]),
            "{mode:?}"
        );
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4000, "after send".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("ACT "),
            r#"ACT {"send":"ok","close":"ok","readyState":3}"#,
            "{mode:?}"
        );
    }
}

// ---- the script closes first ----

#[tokio::test]
async fn script_close_in_fetch_is_closing_at_once_and_the_event_carries_the_peer_reply() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/script-close", "when=fetch")).await;
        assert_eq!(hearth.stdout_line("ACT "), r#"ACT {"readyState":2}"#);
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4001, "server-bye".into())),
            "{mode:?}"
        );
        client.send_close(Some((1000, "client-bye"))).await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "client-bye", true, 3),
            "{mode:?}"
        );
        client.expect_eof().await;
    }
}

#[tokio::test]
async fn script_close_in_a_message_handler_is_closing_at_once_and_the_event_carries_the_peer_reply()
{
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/script-close", "when=message")).await;
        client.send_text("please close").await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            r#"EVENT {"type":"message","data":"please close","readyState":1}"#
        );
        assert_eq!(hearth.stdout_line("ACT "), r#"ACT {"readyState":2}"#);
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4001, "server-bye".into())),
            "{mode:?}"
        );
        client.send_close(Some((1000, "client-bye"))).await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "client-bye", true, 3),
            "{mode:?}"
        );
        client.expect_eof().await;
    }
}

// ---- the peer drops TCP without a Close frame ----

/// Connect to `/observe` and wait until the script sees a message, so the
/// socket is accepted and coupled to the network.
async fn observed(hearth: &Hearth, mode: &Mode) -> RawClient {
    let mut client = RawClient::connect_path(hearth.addr, &mode.path("/observe", "")).await;
    client.send_text("hello").await;
    assert_eq!(
        hearth.stdout_line("EVENT "),
        r#"EVENT {"type":"message","data":"hello","readyState":1}"#
    );
    client
}

/// After the close event, the next event logged is the mark: no `error`
/// event (nor anything else) came before or after it.
async fn nothing_more_than_the_mark(hearth: &Hearth) {
    assert_eq!(hearth.get("/mark").await, (200, "marked".into()));
    assert_eq!(hearth.stdout_line("EVENT "), r#"EVENT {"type":"mark"}"#);
}

#[tokio::test]
async fn peer_fin_without_close_is_one_1006_close_event_with_ready_state_closed_and_no_error() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client = observed(&hearth, mode).await;
        client.fin().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1006, DISCONNECTED, false, 3),
            "{mode:?}"
        );
        nothing_more_than_the_mark(&hearth).await;
    }
}

#[tokio::test]
async fn peer_rst_without_close_is_one_1006_close_event_with_ready_state_closed_and_no_error() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let client = observed(&hearth, mode).await;
        client.rst();
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1006, DISCONNECTED, false, 3),
            "{mode:?}"
        );
        nothing_more_than_the_mark(&hearth).await;
    }
}

// ---- protocol errors from the peer ----

/// The peer sends `opcode payload`; hearth must answer Close `code` and end
/// TCP, and the script must see `error` then `close` (`code`, the reason on
/// the wire, wasClean false).
async fn fails_with(hearth: &Hearth, mode: &Mode, opcode: u8, payload: &[u8], code: u16) {
    let mut client = RawClient::connect_path(hearth.addr, &mode.path("/observe", "")).await;
    client.send(opcode, payload).await;
    let (sent, reason) = client
        .read()
        .await
        .close_code_reason()
        .expect("a Close frame with a code");
    assert_eq!(sent, code, "{mode:?} {payload:?}");
    client.expect_eof().await;
    assert_eq!(
        hearth.stdout_line("EVENT "),
        r#"EVENT {"type":"error","readyState":3}"#,
        "{mode:?} {payload:?}"
    );
    assert_eq!(
        hearth.stdout_line("EVENT "),
        close_line(code, &reason, false, 3),
        "{mode:?} {payload:?}"
    );
}

#[tokio::test]
async fn a_peer_close_with_a_code_not_allowed_on_the_wire_fails_the_connection_with_1002() {
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        fails_with(&hearth, &mode, CLOSE, &1005u16.to_be_bytes(), 1002).await;
        fails_with(&hearth, &mode, CLOSE, &999u16.to_be_bytes(), 1002).await;
        fails_with(&hearth, &mode, CLOSE, &close_payload(1005, b"x"), 1002).await;
        nothing_more_than_the_mark(&hearth).await;
    }
}

#[tokio::test]
async fn invalid_utf8_text_fails_the_connection_with_1007() {
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        fails_with(&hearth, &mode, TEXT, &[b'h', 0xC3, 0x28], 1007).await;
        nothing_more_than_the_mark(&hearth).await;
    }
}

// ---- binaryType ----

#[tokio::test]
async fn binary_messages_follow_the_default_binary_type_of_the_compatibility_settings() {
    for (args, binary_type) in [
        (ON, "blob"),
        (&["--compatibility-date", "2026-03-16"][..], "arraybuffer"),
        (
            &[
                "--compatibility-date",
                "2026-04-07",
                "--compatibility-flags",
                "no_websocket_standard_binary_type",
            ][..],
            "arraybuffer",
        ),
    ] {
        let (hearth, _dir) = serve(args);
        let mut client = RawClient::connect_path(hearth.addr, "/binary").await;
        assert_eq!(
            hearth.stdout_line("BINARYTYPE "),
            format!("BINARYTYPE \"{binary_type}\""),
            "{args:?}"
        );
        client.send(BINARY, &[1, 2, 255]).await;
        let blob = binary_type == "blob";
        assert_eq!(
            hearth.stdout_line("BINARY "),
            format!(
                r#"BINARY {{"blob":{blob},"arrayBuffer":{},"bytes":[1,2,255]}}"#,
                !blob
            ),
            "{args:?}"
        );
    }
}

#[tokio::test]
async fn binary_type_can_be_set_and_ignores_invalid_values() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/binary-type").await,
        json!({
            "initial": ["blob", "blob"],
            "afterInvalid": "blob",
            "afterArrayBuffer": "arraybuffer",
            "afterBlob": "blob"
        })
    );
    let (hearth, _dir) = serve(&[
        "--compatibility-date",
        "2026-04-07",
        "--compatibility-flags",
        "no_websocket_standard_binary_type",
    ]);
    assert_eq!(
        get_json(&hearth, "/binary-type").await,
        json!({
            "initial": ["arraybuffer", "arraybuffer"],
            "afterInvalid": "arraybuffer",
            "afterArrayBuffer": "arraybuffer",
            "afterBlob": "blob"
        })
    );
}

// ---- WebSocketPair, both ends in the worker ----

#[tokio::test]
async fn pair_messages_sent_before_accept_are_delivered_in_order_after_it() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/buffered").await,
        json!({ "beforeAccept": 0, "got": ["one", [1, 2], "three"] })
    );
}

#[tokio::test]
async fn pair_events_are_tasks_never_synchronous_nor_microtasks() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/tasks").await,
        json!([
            "after send",
            "after a microtask",
            "after queueMicrotask",
            "message x",
            "after the message event",
            "after close",
            "after another microtask",
            "close 1000"
        ])
    );
}

#[tokio::test]
async fn pair_close_in_auto_mode_echoes_and_both_ends_close() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/pair-close?half=0").await,
        json!({
            "log": [
                ["a.close", 2, 1],
                // [end, code, reason, wasClean, its readyState]
                ["b", 1000, "bye", true, 3],
                ["a", 1000, "bye", true, 3],
                ["later", 3, 3],
                ["b.close", "ok", 3, 3]
            ],
            "errors": []
        })
    );
}

#[tokio::test]
async fn pair_close_in_manual_mode_leaves_both_closing_until_the_other_end_replies() {
    for (args, half) in [(OFF, 0), (ON, 1)] {
        let (hearth, _dir) = serve(args);
        assert_eq!(
            get_json(&hearth, &format!("/pair-close?half={half}")).await,
            json!({
                "log": [
                    ["a.close", 2, 1],
                    ["b", 1000, "bye", true, 2],
                    ["later", 2, 2],
                    ["b.close", "ok", 2, 3],
                    ["a", 4002, "reply", true, 3]
                ],
                "errors": []
            }),
            "{args:?} half={half}"
        );
    }
}

#[tokio::test]
async fn pair_simultaneous_close_gives_each_end_the_other_code_and_reason() {
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        assert_eq!(
            get_json(&hearth, "/simultaneous").await,
            json!({
                "during": [2, 2],
                "a": [4002, "from b", true, 3],
                "b": [4001, "from a", true, 3],
                "final": [3, 3],
                "errors": []
            }),
            "{mode:?}"
        );
    }
}

// ---- new WebSocket(url) ----

#[tokio::test]
async fn new_websocket_to_another_hearth_opens_echoes_and_closes() {
    let (echo, _echo_dir) = serve_worker(ECHO_WORKER, ON);
    let (client, _client_dir) = serve_worker(CLIENT_WORKER, ON);
    let target = format!("ws://{}/echo", echo.addr);
    assert_eq!(
        get_json(&client, &format!("/?target={target}")).await,
        json!([
            ["constructed", 0, target],
            ["open", 1, ""],
            ["message", "echo:hi"],
            ["closing", 2],
            ["close", 1000, "done", true, 3]
        ])
    );
}
