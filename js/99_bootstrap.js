// Installs the glue on the global object the way WebIDL (§3.7 "Interface
// object", §3.13 "Namespaces") and HTML would: non-enumerable, writable,
// configurable properties, enumerable members on prototypes, and
// Symbol.toStringTag on every interface prototype.

// [name, class, constructor length]
const interfaces = [
  ["DOMException", internals.DOMException, 0],
  ["Event", internals.Event, 1],
  ["EventTarget", internals.EventTarget, 0],
  ["CloseEvent", internals.CloseEvent, 1],
  ["MessageEvent", internals.MessageEvent, 1],
  ["ErrorEvent", internals.ErrorEvent, 1],
  ["AbortController", internals.AbortController, 0],
  ["AbortSignal", internals.AbortSignal, 0],
  ["TextEncoder", internals.TextEncoder, 0],
  ["TextDecoder", internals.TextDecoder, 0],
  ["Blob", internals.Blob, 0],
  ["File", internals.File, 2],
  ["URL", internals.URL, 1],
  ["URLSearchParams", internals.URLSearchParams, 0],
  ["Headers", internals.Headers, 0],
  ["Request", internals.Request, 1],
  ["Response", internals.Response, 0],
  ["WebSocket", internals.WebSocket, 1],
  ["WebSocketPair", internals.WebSocketPair, 0],
  ["Crypto", internals.Crypto, 0],
];

// WebIDL §3.7.3-§3.7.6: regular attributes and operations are enumerable;
// JS class syntax makes them non-enumerable, so flip them here.
function makeMembersEnumerable(obj) {
  for (const key of Reflect.ownKeys(obj)) {
    if (typeof key === "symbol" || key === "constructor" || key === "prototype" ||
      key === "length" || key === "name") continue;
    const desc = Reflect.getOwnPropertyDescriptor(obj, key);
    if (desc.enumerable || !desc.configurable) continue;
    desc.enumerable = true;
    Reflect.defineProperty(obj, key, desc);
  }
}

function defineGlobal(name, value) {
  Reflect.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
}

for (const [name, cls, length] of interfaces) {
  if (typeof cls !== "function") continue;
  makeMembersEnumerable(cls.prototype);
  makeMembersEnumerable(cls);
  Reflect.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, writable: false, enumerable: false, configurable: true });
  Reflect.defineProperty(cls, "length", { value: length, writable: false, enumerable: false, configurable: true });
  if (name !== "Crypto") defineGlobal(name, cls);
}

// Functions on the global scope (WindowOrWorkerGlobalScope and friends).
const functions = {
  atob: internals.atob,
  btoa: internals.btoa,
  setTimeout: internals.setTimeout,
  setInterval: internals.setInterval,
  clearTimeout: internals.clearTimeout,
  clearInterval: internals.clearInterval,
  queueMicrotask: internals.queueMicrotask,
  reportError: internals.reportError,
  structuredClone: internals.structuredClone,
};
for (const [name, fn] of Object.entries(functions)) {
  if (typeof fn === "function") defineGlobal(name, fn);
}

if (internals.console !== undefined) defineGlobal("console", internals.console);
defineGlobal("crypto", internals.crypto);
defineGlobal("self", globalThis);

class Navigator {}
Reflect.defineProperty(Navigator.prototype, "userAgent", {
  get() { return "hearth"; }, enumerable: true, configurable: true,
});
Reflect.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: "Navigator", configurable: true });
defineGlobal("navigator", new Navigator());

// Per-worker set-up, run by Rust after the context is made (from the
// startup snapshot, which holds everything above): the resolved
// compatibility flags, and the read-only `Cloudflare.compatibilityFlags`.
internals.init = function init() {
  let flags = {};
  try {
    const parsed = JSON.parse(ops.compatFlags());
    if (parsed !== null && typeof parsed === "object") flags = parsed;
  } catch (e) {
    ops.reportError(e);
  }
  internals.compatFlags = flags;
  const compatibilityFlags = Object.freeze({ ...flags });
  // Not writable or configurable either: a worker cannot swap the object.
  Reflect.defineProperty(globalThis, "Cloudflare", {
    value: Object.freeze({ compatibilityFlags }), writable: false, enumerable: false, configurable: false,
  });
};

// The `ctx` a module's `fetch(request, env, ctx)` receives. A worker here
// lives as long as the process, so `waitUntil` only has to report failures.
internals.executionContext = Object.freeze({
  waitUntil(promise) {
    Promise.resolve(promise).catch((e) => ops.reportError(e));
  },
  passThroughOnException() {},
});
