//! Shared by the JavaScript globals tests (`js_globals`, `js_web_apis`): a
//! worker whose routes exercise one global each and answer with what they
//! saw (JSON), or print it (console), and helpers to start and query it.

use serde_json::Value;

use super::hearth_process::{Hearth, write_files};

/// Routes: `/<case>`; a route returns a Response, a string (the body) or a
/// value sent back as JSON.
pub const WORKER: &str = concat!(
    js_test_helpers!(),
    r##"
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
"##
);

/// `hearth run worker.js --compatibility-date 2026-04-07 EXTRA` in a fresh
/// directory (kept alive as long as the process).
pub fn serve(extra: &[&str]) -> (Hearth, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("worker.js", WORKER)]);
    let mut args = vec!["worker.js", "--compatibility-date", "2026-04-07"];
    args.extend_from_slice(extra);
    (Hearth::start(dir.path(), &args), dir)
}

pub async fn get_json(hearth: &Hearth, path: &str) -> Value {
    let (status, body) = hearth.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}
