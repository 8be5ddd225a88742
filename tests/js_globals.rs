//! The JavaScript globals end to end: a real `hearth run` process serving a
//! worker whose routes exercise one global each and answer with what they
//! saw (JSON), or print it (console). Every expectation is an exact value.

mod support;

use serde_json::{Value, json};
use support::hearth_process::{Hearth, write_files};

/// Routes: `/<case>`; a route returns a Response, a string (the body) or a
/// value sent back as JSON.
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const routes = {
  "/console"() {
    console.log("fmt: %s is %d years, %i days, %j; 100%% %o", "Bob", 42.5, 7.9, { a: [1, "x"] }, { k: "v" });
    console.log("extra: %s", "a", "b", 3, { c: 1 });
    console.log("obj:", { a: 1, b: "two", c: [1, 2, 3], d: null, e: undefined, f: true });
    console.log("quotes:", ["it's", 'say "hi"']);
    console.log("depth:", { l1: { l2: { l3: { l4: 1 } } }, arr: [[1, [2, [3, [4]]]]] });
    console.log("collections:", new Map([["a", 1], [2, { b: true }]]), new Set([1, "x"]));
    console.log("deep: %o", { a: { b: { c: { d: { e: { f: 1 } } } } } });
    console.log(new Error("kaboom"));
    console.error("to stderr: %d", 5);
    return "logged";
  },

  async "/timers"() {
    const log = [];
    await new Promise((resolve) => {
      setTimeout(() => log.push("timeout 1"), 0);
      setTimeout(() => {
        log.push("timeout 2");
        queueMicrotask(() => log.push("microtask in timeout 2"));
        setTimeout(() => {
          log.push("nested timeout");
          resolve();
        }, 0);
      }, 0);
      const cleared = setTimeout(() => log.push("cleared by clearTimeout"), 0);
      const clearedByInterval = setTimeout(() => log.push("cleared by clearInterval"), 0);
      setTimeout((a, b) => log.push(`timeout 3 ${a} ${b}`), 0, "x", "y");
      clearTimeout(cleared);
      clearInterval(clearedByInterval);
      Promise.resolve().then(() => log.push("promise"));
      queueMicrotask(() => log.push("microtask"));
      log.push("sync");
    });
    return log;
  },

  async "/interval"() {
    const ticks = [];
    await new Promise((resolve) => {
      const id = setInterval((tag) => {
        ticks.push(`${tag} ${ticks.length + 1}`);
        if (ticks.length === 3) {
          clearInterval(id);
          // Long enough for several more ticks, had the interval survived.
          setTimeout(resolve, 20);
        }
      }, 1, "tick");
    });
    return ticks;
  },

  "/callable-checks"() {
    return [
      attempt(() => queueMicrotask()),
      attempt(() => queueMicrotask("code")),
      attempt(() => setTimeout("code", 0)),
    ];
  },

  "/clone"() {
    const src = {
      n: 1,
      nested: { arr: [1, { deep: true }] },
      map: new Map([["k", { v: 1 }]]),
      set: new Set(["s"]),
      date: new Date(86400000),
    };
    src.self = src;
    const c = structuredClone(src);
    let fn;
    try {
      structuredClone({ f: () => 1 });
      fn = "no error";
    } catch (e) {
      fn = [e instanceof DOMException, e instanceof Error, e.name, e.code, e.message];
    }
    return {
      distinct: c !== src && c.nested !== src.nested && c.nested.arr[1] !== src.nested.arr[1],
      deep: c.nested.arr[1].deep,
      map: [c.map instanceof Map, c.map.get("k").v, c.map.get("k") !== src.map.get("k")],
      set: [c.set instanceof Set, c.set.has("s")],
      date: [c.date instanceof Date, c.date.toISOString()],
      cycle: c.self === c,
      threeStrings: structuredClone(["DOMException", "SyntaxError", "m"]),
      fn,
    };
  },

  "/crypto"() {
    const uuid = crypto.randomUUID();
    const arr = new Uint8Array(16);
    const returned = crypto.getRandomValues(arr);
    const big = new Uint8Array(32);
    const view = big.subarray(8, 16);
    crypto.getRandomValues(view);
    return {
      uuidV4: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid),
      uuidsDiffer: uuid !== crypto.randomUUID(),
      sameView: returned === arr,
      changed: arr.some((b) => b !== 0),
      insideViewChanged: view.some((b) => b !== 0),
      outsideViewUntouched: big.subarray(0, 8).every((b) => b === 0) && big.subarray(16).every((b) => b === 0),
      max: crypto.getRandomValues(new Uint8Array(65536)).length,
      quota: attempt(() => crypto.getRandomValues(new Uint8Array(65537))),
      float: attempt(() => crypto.getRandomValues(new Float32Array(4))),
    };
  },

  "/encoding"() {
    const s = "héllo €😀";
    const bytes = new TextEncoder().encode(s);
    const streaming = new TextDecoder();
    return {
      bytes: Array.from(bytes),
      isUint8Array: bytes instanceof Uint8Array,
      decoded: new TextDecoder().decode(bytes),
      roundTrip: new TextDecoder().decode(bytes) === s,
      fatal: attempt(() => new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0x61, 0xff]))),
      replacement: new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0x62])),
      bom: new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])),
      stream: streaming.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + "|" + streaming.decode(new Uint8Array([0xac])),
      label: new TextDecoder(" Latin1 ").encoding,
    };
  },

  "/base64"() {
    return {
      btoa: btoa("hello"),
      atob: atob("aGVsbG8="),
      forgiving: [atob(" aGVs bG8= "), atob("aGVsbG8")],
      latin1: [btoa("\xff\xfe"), atob("//4=") === "\xff\xfe"],
      btoaError: attempt(() => btoa("€")),
      atobError: attempt(() => atob("a")),
      atobBadChar: attempt(() => atob("aGVs*G8=")),
    };
  },

  "/url"() {
    const u = new URL("../c/d?x=1#frag", "https://user:pw@EXAMPLE.com:8443/a/b/");
    const s = new URL("https://h.example/p?a=1&b=2&a=3");
    const sp = s.searchParams;
    const all = sp.getAll("a");
    sp.append("c", "x y&z");
    const afterAppend = s.href;
    sp.delete("a");
    const afterDelete = s.search;
    s.search = "?q=%C3%A9";
    const normalized = new URL("HTTP://Example.COM:80/%7efoo/./bar/../baz");
    return {
      parts: [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash],
      normalized: [normalized.href, normalized.port],
      all,
      afterAppend,
      afterDelete,
      fromSearch: [sp.get("q"), sp.size, sp === s.searchParams],
      invalid: attempt(() => new URL("not a url")),
      canParse: [URL.canParse("/x"), URL.canParse("/x", "https://h.example")],
    };
  },

  "/headers"(request) {
    const h = new Headers({ "X-B": "2", "content-Type": "text/plain" });
    h.append("x-a", "1");
    h.append("X-A", "3");
    h.append("Set-Cookie", "a=1");
    h.append("set-cookie", "b=2");
    const result = {
      get: h.get("X-a"),
      has: h.has("CONTENT-TYPE"),
      entries: [...h],
      keys: [...h.keys()],
    };
    h.delete("X-B");
    result.afterDelete = h.get("x-b");
    result.invalidName = attempt(() => new Headers({ "bad name": "x" }));
    result.incomingHost = request.headers.get("HOST") !== null;
    result.incomingImmutable = attempt(() => request.headers.set("x-y", "z"));
    return result;
  },

  async "/bodies"() {
    const r = new Response("héllo ✓");
    const text = await r.text();
    const used = r.bodyUsed;
    let again;
    try {
      await r.text();
      again = "no error";
    } catch (e) {
      again = describe(e);
    }
    const ab = await new Response(new Uint8Array([1, 2, 255])).arrayBuffer();
    const req = new Request("https://example.com/x", { method: "post", body: "payload" });
    const json = Response.json({ ok: true }, { status: 201 });
    return {
      text,
      used,
      again,
      json: await new Response('{"a":[1,2],"b":null}').json(),
      arrayBuffer: [ab instanceof ArrayBuffer, Array.from(new Uint8Array(ab))],
      textType: new Response("x").headers.get("content-type"),
      request: [req.method, req.url, req.headers.get("content-type"), await req.text()],
      getWithBody: attempt(() => new Request("https://example.com/", { body: "x" })),
      responseJson: [json.status, json.ok, json.headers.get("content-type"), await json.text()],
      status101: attempt(() => new Response(null, { status: 101 })),
      status600: attempt(() => new Response(null, { status: 600 })),
      webSocketWith200: attempt(() => new Response(null, { status: 200, webSocket: new WebSocketPair()[0] })),
      nullBody204: attempt(() => new Response("x", { status: 204 })),
    };
  },

  "/json-response"() {
    return Response.json({ ok: true, n: [1, 2] }, { status: 201 });
  },

  "/dom-exception"() {
    const s = new DOMException("m", "SyntaxError");
    const ia = new DOMException("denied", "InvalidAccessError");
    const plain = new DOMException();
    let thrown;
    try {
      atob("*");
    } catch (e) {
      thrown = [e instanceof DOMException, e instanceof Error, e.name, e.code];
    }
    return {
      syntax: [s.name, s.message, s.code, s instanceof DOMException, s instanceof Error, String(s), Object.prototype.toString.call(s)],
      invalidAccess: [ia.name, ia.code, DOMException.INVALID_ACCESS_ERR, ia.INVALID_ACCESS_ERR],
      noArguments: [plain.name, plain.message, plain.code],
      unknownName: new DOMException("x", "NoSuchError").code,
      thrown,
    };
  },

  "/events"() {
    const t = new EventTarget();
    const log = [];
    const handler = {
      handleEvent(e) {
        log.push(`handleEvent ${this === handler} ${e.currentTarget === t}`);
      },
    };
    t.addEventListener("ping", (e) => log.push(`once ${e.type} ${e.eventPhase}`), { once: true });
    t.addEventListener("ping", handler);
    t.addEventListener("ping", handler); // the same listener twice is one listener
    t.addEventListener("ping", () => {
      throw new Error("listener boom");
    });
    t.addEventListener("ping", (e) => log.push(`after the throwing listener ${e.isTrusted}`));
    const first = t.dispatchEvent(new Event("ping"));
    const second = t.dispatchEvent(new Event("ping", { cancelable: true }));
    t.addEventListener("cancel", (e) => e.preventDefault());
    const canceled = t.dispatchEvent(new Event("cancel", { cancelable: true }));
    return { log, returns: [first, second, canceled] };
  },

  "/flags"() {
    const flags = Cloudflare.compatibilityFlags;
    const before = flags.web_socket_auto_reply_to_close;
    // Module code is strict: assigning to a read-only property throws.
    const assign = attempt(() => {
      flags.web_socket_auto_reply_to_close = !before;
    });
    const replace = attempt(() => {
      Cloudflare.compatibilityFlags = {};
    });
    return {
      before,
      type: typeof before,
      assign,
      replace,
      after: Cloudflare.compatibilityFlags.web_socket_auto_reply_to_close,
      frozen: Object.isFrozen(flags),
    };
  },

  "/env"(request, env) {
    return {
      name: [typeof env.NAME, env.NAME],
      count: [typeof env.COUNT, env.COUNT],
      limits: [typeof env.LIMITS, env.LIMITS],
      keys: Object.keys(env),
    };
  },
};

export default {
  async fetch(request, env) {
    const route = routes[new URL(request.url).pathname];
    if (route === undefined) return new Response("no such route", { status: 404 });
    const result = await route(request, env);
    if (result instanceof Response) return result;
    if (typeof result === "string") return new Response(result);
    return Response.json(result);
  },
};
"##;

/// `hearth run worker.js --compatibility-date 2026-04-07 EXTRA` in a fresh
/// directory (kept alive as long as the process).
fn serve(extra: &[&str]) -> (Hearth, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", WORKER)]);
    let mut args = vec!["worker.js", "--compatibility-date", "2026-04-07"];
    args.extend_from_slice(extra);
    (Hearth::start(dir.path(), &args), dir)
}

async fn get_json(hearth: &Hearth, path: &str) -> Value {
    let (status, body) = hearth.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

#[tokio::test]
async fn console_formats_substitutions_objects_collections_and_depth() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(hearth.get("/console").await, (200, "logged".into()));
    assert_eq!(
        hearth.stdout_line("fmt: "),
        r#"fmt: Bob is 42.5 years, 7 days, {"a":[1,"x"]}; 100% { k: 'v' }"#
    );
    assert_eq!(hearth.stdout_line("extra: "), "extra: a b 3 { c: 1 }");
    assert_eq!(
        hearth.stdout_line("obj: "),
        "obj: { a: 1, b: 'two', c: [ 1, 2, 3 ], d: null, e: undefined, f: true }"
    );
    assert_eq!(
        hearth.stdout_line("quotes: "),
        r#"quotes: [ "it's", 'say "hi"' ]"#
    );
    // Default depth 2: the third level of nesting is elided.
    assert_eq!(
        hearth.stdout_line("depth: "),
        "depth: { l1: { l2: { l3: [Object] } }, arr: [ [ 1, [Array] ] ] }"
    );
    assert_eq!(
        hearth.stdout_line("collections: "),
        "collections: Map(2) { 'a' => 1, 2 => { b: true } } Set(2) { 1, 'x' }"
    );
    // %o inspects 4 levels deep; only the 3 innermost levels share a line.
    assert_eq!(
        hearth.stdout_lines("deep: ", 5),
        [
            "deep: {",
            "  a: {",
            "    b: { c: { d: { e: [Object] } } }",
            "  }",
            "}",
        ]
    );
}

#[tokio::test]
async fn console_prints_an_error_with_its_stack_and_console_error_goes_to_stderr() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(hearth.get("/console").await, (200, "logged".into()));
    let needle = r#"console.log(new Error("kaboom"));"#;
    let (line, text) = WORKER
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap();
    let column = text.find("new Error").unwrap() + 1;
    let lines = hearth.stdout_lines("kaboom", 2);
    assert_eq!(lines[0], "Error: kaboom");
    assert!(lines[1].starts_with("    at "), "{lines:?}");
    assert!(
        lines[1].ends_with(&format!("worker.js:{}:{column})", line + 1)),
        "{lines:?}"
    );
    assert_eq!(hearth.stderr_text("to stderr"), "to stderr: 5");
}

#[tokio::test]
async fn timers_run_as_tasks_in_order_after_microtasks_and_can_be_cleared() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/timers").await,
        json!([
            "sync",
            "promise",
            "microtask",
            "timeout 1",
            "timeout 2",
            "microtask in timeout 2",
            "timeout 3 x y",
            "nested timeout"
        ])
    );
}

#[tokio::test]
async fn an_interval_repeats_with_its_arguments_until_cleared_in_its_callback() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/interval").await,
        json!(["tick 1", "tick 2", "tick 3"])
    );
}

#[tokio::test]
async fn queue_microtask_and_set_timeout_refuse_what_is_not_a_function() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/callable-checks").await,
        json!([
            "TypeError: Failed to execute 'queueMicrotask': 1 argument required, but only 0 present.",
            "TypeError: Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.",
            "TypeError: Failed to execute 'setTimeout': parameter 1 is not of type 'Function'."
        ])
    );
}

#[tokio::test]
async fn structured_clone_copies_nested_values_and_refuses_functions_with_data_clone_error() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/clone").await,
        json!({
            "distinct": true,
            "deep": true,
            "map": [true, 1, true],
            "set": [true, true],
            "date": [true, "1970-01-02T00:00:00.000Z"],
            "cycle": true,
            // Data that looks like the ops' internal error triple is still data.
            "threeStrings": ["DOMException", "SyntaxError", "m"],
            "fn": [true, true, "DataCloneError", 25, "() => 1 could not be cloned."]
        })
    );
}

#[tokio::test]
async fn crypto_random_uuid_is_v4_and_get_random_values_fills_the_view_it_returns() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/crypto").await,
        json!({
            "uuidV4": true,
            "uuidsDiffer": true,
            "sameView": true,
            "changed": true,
            "insideViewChanged": true,
            "outsideViewUntouched": true,
            "max": 65536,
            "quota": "DOMException(QuotaExceededError, 22): The ArrayBufferView's byte length (65537) exceeds the number of bytes of entropy available via this API (65536).",
            "float": "DOMException(TypeMismatchError, 17): The data provided is not an integer-typed array."
        })
    );
}

#[tokio::test]
async fn text_encoder_and_decoder_round_trip_utf8_and_fatal_decoding_throws() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/encoding").await,
        json!({
            "bytes": [104, 195, 169, 108, 108, 111, 32, 226, 130, 172, 240, 159, 152, 128],
            "isUint8Array": true,
            "decoded": "héllo €😀",
            "roundTrip": true,
            "fatal": "TypeError: The encoded data was not valid for encoding utf-8",
            "replacement": "a\u{fffd}b",
            "bom": "A",
            "stream": "|€",
            "label": "windows-1252"
        })
    );
}

#[tokio::test]
async fn atob_and_btoa_and_their_invalid_character_errors() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/base64").await,
        json!({
            "btoa": "aGVsbG8=",
            "atob": "hello",
            "forgiving": ["hello", "hello"],
            "latin1": ["//4=", true],
            "btoaError": "DOMException(InvalidCharacterError, 5): The string to be encoded contains characters outside of the Latin1 range.",
            "atobError": "DOMException(InvalidCharacterError, 5): The string to be decoded is not correctly encoded.",
            "atobBadChar": "DOMException(InvalidCharacterError, 5): The string to be decoded is not correctly encoded."
        })
    );
}

#[tokio::test]
async fn url_parses_resolves_relative_references_and_keeps_search_params_in_sync() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/url").await,
        json!({
            "parts": [
                "https://user:pw@example.com:8443/a/c/d?x=1#frag",
                "https://example.com:8443",
                "https:",
                "user",
                "pw",
                "example.com:8443",
                "example.com",
                "8443",
                "/a/c/d",
                "?x=1",
                "#frag"
            ],
            "normalized": ["http://example.com/%7efoo/baz", ""],
            "all": ["1", "3"],
            "afterAppend": "https://h.example/p?a=1&b=2&a=3&c=x+y%26z",
            "afterDelete": "?b=2&c=x+y%26z",
            "fromSearch": ["é", 1, true],
            "invalid": "TypeError: Invalid URL string.",
            "canParse": [false, true]
        })
    );
}

#[tokio::test]
async fn headers_are_case_insensitive_combine_values_and_iterate_sorted() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/headers").await,
        json!({
            "get": "1, 3",
            "has": true,
            "entries": [
                ["content-type", "text/plain"],
                ["set-cookie", "a=1"],
                ["set-cookie", "b=2"],
                ["x-a", "1, 3"],
                ["x-b", "2"]
            ],
            "keys": ["content-type", "set-cookie", "set-cookie", "x-a", "x-b"],
            "afterDelete": null,
            "invalidName": "TypeError: Invalid header name: 'bad name'",
            "incomingHost": true,
            "incomingImmutable": "TypeError: Can't modify immutable headers."
        })
    );
}

#[tokio::test]
async fn request_and_response_bodies_and_response_status_validation() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/bodies").await,
        json!({
            "text": "héllo ✓",
            "used": true,
            "again": "TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.",
            "json": { "a": [1, 2], "b": null },
            "arrayBuffer": [true, [1, 2, 255]],
            "textType": "text/plain;charset=UTF-8",
            "request": ["POST", "https://example.com/x", "text/plain;charset=UTF-8", "payload"],
            "getWithBody": "TypeError: Request with a GET or HEAD method cannot have a body.",
            "responseJson": [201, true, "application/json", "{\"ok\":true}"],
            "status101": "RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.",
            "status600": "RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.",
            "webSocketWith200": "RangeError: Responses with a WebSocket must have status code 101.",
            "nullBody204": "TypeError: Response with null body status cannot have body"
        })
    );
}

#[tokio::test]
async fn response_json_status_and_body_reach_the_client() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        hearth.get("/json-response").await,
        (201, r#"{"ok":true,"n":[1,2]}"#.into())
    );
}

#[tokio::test]
async fn dom_exception_has_legacy_codes_and_is_an_error() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/dom-exception").await,
        json!({
            "syntax": ["SyntaxError", "m", 12, true, true, "SyntaxError: m", "[object DOMException]"],
            "invalidAccess": ["InvalidAccessError", 15, 15, 15],
            "noArguments": ["Error", "", 0],
            "unknownName": 0,
            "thrown": [true, true, "InvalidCharacterError", 5]
        })
    );
}

#[tokio::test]
async fn event_target_once_handle_event_and_a_throwing_listener_is_reported_while_dispatch_continues()
 {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/events").await,
        json!({
            "log": [
                "once ping 2",
                "handleEvent true true",
                "after the throwing listener false",
                "handleEvent true true",
                "after the throwing listener false"
            ],
            "returns": [true, true, false]
        })
    );
    // One report per dispatch, each with the error's own first line.
    assert_eq!(
        hearth.stderr_text("listener boom"),
        "Uncaught Error: listener boom"
    );
    assert_eq!(
        hearth.stderr_text("listener boom"),
        "Uncaught Error: listener boom"
    );
}

#[tokio::test]
async fn compatibility_flags_reflect_the_date_and_cannot_be_changed() {
    for (date, auto) in [("2026-04-06", false), ("2026-04-07", true)] {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &[("worker.js", WORKER)]);
        let hearth = Hearth::start(dir.path(), &["worker.js", "--compatibility-date", date]);
        assert_eq!(
            get_json(&hearth, "/flags").await,
            json!({
                "before": auto,
                "type": "boolean",
                "assign": "TypeError: Cannot assign to read only property 'web_socket_auto_reply_to_close' of object '#<Object>'",
                "replace": "TypeError: Cannot assign to read only property 'compatibilityFlags' of object '#<Object>'",
                "after": auto,
                "frozen": true
            }),
            "{date}"
        );
    }
}

#[tokio::test]
async fn env_carries_wrangler_toml_vars_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("worker.js", WORKER),
            (
                "wrangler.toml",
                "main = \"worker.js\"\ncompatibility_date = \"2026-04-07\"\n\
                 [vars]\nCOUNT = 3\nLIMITS = { max = 10, names = [\"a\", \"b\"] }\nNAME = \"hearth\"\n",
            ),
        ],
    );
    let hearth = Hearth::start(dir.path(), &[]);
    assert_eq!(
        get_json(&hearth, "/env").await,
        json!({
            "name": ["string", "hearth"],
            "count": ["number", 3],
            "limits": ["object", { "max": 10, "names": ["a", "b"] }],
            "keys": ["COUNT", "LIMITS", "NAME"]
        })
    );
}
