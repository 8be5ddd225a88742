// Headers, Request, Response (WHATWG Fetch §5) with bodies held as bytes
// (there are no streams in hearth), plus the conversions Rust uses to hand a
// request to the worker and read its response back.

const { toUSVString, utf8Encode, utf8Decode, bufferSourceBytes, blobBytes } = internals;

// ---- Headers (Fetch §5.2) ----

// RFC 9110 token characters, used for header names and methods.
const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// Fetch §2.2 "normalize": strip leading and trailing HTTP whitespace.
function normalizeValue(v) {
  return v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}

function validateName(name) {
  if (!tokenRe.test(name)) throw new TypeError(`Invalid header name: '${name}'`);
}

function validateValue(value) {
  // ByteString conversion plus Fetch's "header value": no NUL, CR or LF.
  if (/[^\u0000-\u00ff]/.test(value) || /[\0\r\n]/.test(value)) {
    throw new TypeError(`Invalid header value: '${value}'`);
  }
}

let headersInternals;

class Headers {
  // Ordered list of [lowercased name, value]; duplicates kept (Fetch "header
  // list"), combined on read.
  #list = [];
  #immutable = false;

  constructor(init = undefined) {
    if (init === undefined || init === null) {
      if (init === null) throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
      return;
    }
    this.#fill(init);
  }

  static {
    headersInternals = {
      list: (h) => h.#list,
      freeze(h) { h.#immutable = true; },
      is: (v) => v !== null && typeof v === "object" && #list in v,
    };
  }

  // Fetch §5.2 "fill".
  #fill(init) {
    if (typeof init !== "object" && typeof init !== "function") {
      throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    }
    if (#list in init) {
      for (const [n, v] of init.#list) this.#list.push([n, v]);
      return;
    }
    if (typeof init[Symbol.iterator] === "function") {
      for (const pair of init) {
        const p = Array.from(pair);
        if (p.length !== 2) {
          throw new TypeError("Failed to construct 'Headers': Invalid value");
        }
        this.#append(`${p[0]}`, `${p[1]}`);
      }
      return;
    }
    for (const key of Reflect.ownKeys(init)) {
      const desc = Reflect.getOwnPropertyDescriptor(init, key);
      if (desc === undefined || !desc.enumerable) continue;
      if (typeof key === "symbol") throw new TypeError("Cannot convert a Symbol value to a string");
      this.#append(key, `${init[key]}`);
    }
  }

  static #check(o) { if (!(#list in o)) throw internals.illegalInvocation(); }
  #checkMutable() {
    if (this.#immutable) throw new TypeError("Can't modify immutable headers.");
  }

  #append(name, value) {
    const v = normalizeValue(value);
    validateName(name);
    validateValue(v);
    this.#checkMutable();
    this.#list.push([name.toLowerCase(), v]);
  }

  append(name, value) {
    Headers.#check(this);
    if (arguments.length < 2) throw new TypeError(`Failed to execute 'append' on 'Headers': 2 arguments required, but only ${arguments.length} present.`);
    this.#append(`${name}`, `${value}`);
  }

  delete(name) {
    Headers.#check(this);
    const n = `${name}`;
    validateName(n);
    this.#checkMutable();
    const lower = n.toLowerCase();
    this.#list = this.#list.filter(([k]) => k !== lower);
  }

  get(name) {
    Headers.#check(this);
    const n = `${name}`;
    validateName(n);
    const lower = n.toLowerCase();
    const values = this.#list.filter(([k]) => k === lower).map(([, v]) => v);
    return values.length === 0 ? null : values.join(", ");
  }

  getSetCookie() {
    Headers.#check(this);
    return this.#list.filter(([k]) => k === "set-cookie").map(([, v]) => v);
  }

  has(name) {
    Headers.#check(this);
    const n = `${name}`;
    validateName(n);
    const lower = n.toLowerCase();
    return this.#list.some(([k]) => k === lower);
  }

  set(name, value) {
    Headers.#check(this);
    if (arguments.length < 2) throw new TypeError(`Failed to execute 'set' on 'Headers': 2 arguments required, but only ${arguments.length} present.`);
    const n = `${name}`;
    const v = normalizeValue(`${value}`);
    validateName(n);
    validateValue(v);
    this.#checkMutable();
    const lower = n.toLowerCase();
    const i = this.#list.findIndex(([k]) => k === lower);
    if (i === -1) {
      this.#list.push([lower, v]);
    } else {
      this.#list[i] = [lower, v];
      this.#list = this.#list.filter(([k], j) => j <= i || k !== lower);
    }
  }

  // Fetch §2.2 "sort and combine": names sorted, values combined with ", "
  // except set-cookie, which yields one entry per value.
  #sorted() {
    const names = [...new Set(this.#list.map(([k]) => k))].sort();
    const out = [];
    for (const n of names) {
      const values = this.#list.filter(([k]) => k === n).map(([, v]) => v);
      if (n === "set-cookie") for (const v of values) out.push([n, v]);
      else out.push([n, values.join(", ")]);
    }
    return out;
  }

  forEach(callback, thisArg = undefined) {
    Headers.#check(this);
    if (typeof callback !== "function") {
      throw new TypeError("Failed to execute 'forEach' on 'Headers': The callback provided as parameter 1 is not a function.");
    }
    for (const [k, v] of this.#sorted()) Reflect.apply(callback, thisArg, [v, k, this]);
  }

  *entries() { Headers.#check(this); yield* this.#sorted(); }
  *keys() { Headers.#check(this); for (const [k] of this.#sorted()) yield k; }
  *values() { Headers.#check(this); for (const [, v] of this.#sorted()) yield v; }
}
Object.defineProperty(Headers.prototype, Symbol.iterator, {
  value: Headers.prototype.entries, writable: true, enumerable: false, configurable: true,
});

// ---- Body mixin (Fetch §5.3), shared by Request and Response ----

// Fetch §5.3 "extract a body": returns { bytes, type } for a BodyInit.
function extractBody(init) {
  const bytes = bufferSourceBytes(init);
  if (bytes !== null) return { bytes: bytes.slice(), type: null };
  const blob = blobBytes(init);
  if (blob !== null) return { bytes: blob, type: init.type === "" ? null : init.type };
  if (init instanceof internals.URLSearchParams) {
    return { bytes: utf8Encode(init.toString()), type: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  if (init !== null && typeof init === "object" && typeof init.getReader === "function") {
    throw new TypeError("ReadableStream bodies are not supported by hearth.");
  }
  return { bytes: utf8Encode(toUSVString(init)), type: "text/plain;charset=UTF-8" };
}

// A body is { bytes: Uint8Array, used: boolean } or null for "no body".
function consume(body) {
  if (body === null) return new Uint8Array(0);
  if (body.used) throw new TypeError(`Body has already been used. It can only be used once. Use tee() first if you need to read it twice.`);
  body.used = true;
  return body.bytes;
}

// Installs text/json/arrayBuffer/bytes/blob/bodyUsed on a prototype whose
// instances expose their body through `getBody(obj)`.
function defineBodyMethods(proto, getBody, getContentType) {
  const methods = {
    arrayBuffer() {
      try { return Promise.resolve(consume(getBody(this)).slice().buffer); } catch (e) { return Promise.reject(e); }
    },
    bytes() {
      try { return Promise.resolve(consume(getBody(this)).slice()); } catch (e) { return Promise.reject(e); }
    },
    text() {
      try { return Promise.resolve(utf8Decode(consume(getBody(this)))); } catch (e) { return Promise.reject(e); }
    },
    json() {
      try { return Promise.resolve(JSON.parse(utf8Decode(consume(getBody(this))))); } catch (e) { return Promise.reject(e); }
    },
    blob() {
      try {
        const type = getContentType(this) ?? "";
        return Promise.resolve(internals.blobFromBytes(consume(getBody(this)).slice(), type));
      } catch (e) { return Promise.reject(e); }
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(proto, name, { value: fn, writable: true, enumerable: true, configurable: true });
  }
  Object.defineProperty(proto, "bodyUsed", {
    get() { const b = getBody(this); return b !== null && b.used; },
    enumerable: true, configurable: true,
  });
}

// ---- Request (Fetch §5.4) ----

const normalizedMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

let requestInternals;

class Request {
  #method; #url; #headers; #body; #redirect; #signal;

  constructor(input, init = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
    const opts = internals.toDictionary(init, "RequestInit");
    let inputBody = null;
    if (input !== null && typeof input === "object" && #method in input) {
      this.#method = input.#method;
      this.#url = input.#url;
      this.#headers = new Headers(input.#headers);
      this.#redirect = input.#redirect;
      this.#signal = input.#signal;
      inputBody = input.#body;
    } else {
      // Workers have no base URL, so the URL must be absolute.
      const parsed = internals.URL.parse(toUSVString(input));
      if (parsed === null) throw new TypeError(`Invalid URL string.`);
      this.#url = parsed.href;
      this.#method = "GET";
      this.#headers = new Headers();
      this.#redirect = "follow";
      this.#signal = null;
    }
    if (opts.method !== undefined) {
      let m = `${opts.method}`;
      if (!tokenRe.test(m)) throw new TypeError(`Invalid HTTP method: '${m}'`);
      const upper = m.toUpperCase();
      if (["CONNECT", "TRACE", "TRACK"].includes(upper)) throw new TypeError(`Forbidden HTTP method: '${m}'`);
      // Fetch §2.2 "normalize a method": only these are uppercased.
      if (normalizedMethods.includes(upper)) m = upper;
      this.#method = m;
    }
    if (opts.redirect !== undefined) {
      const r = `${opts.redirect}`;
      if (!["follow", "error", "manual"].includes(r)) throw new TypeError(`Invalid redirect value: '${r}'`);
      this.#redirect = r;
    }
    if (opts.signal !== undefined && opts.signal !== null) {
      if (!internals.isAbortSignal(opts.signal)) throw new TypeError("Failed to construct 'Request': member signal is not of type 'AbortSignal'.");
      this.#signal = opts.signal;
    }
    if (opts.headers !== undefined) this.#headers = new Headers(opts.headers);
    const hasInitBody = opts.body !== undefined && opts.body !== null;
    if ((hasInitBody || (inputBody !== null && opts.body === undefined)) &&
      (this.#method === "GET" || this.#method === "HEAD")) {
      throw new TypeError("Request with a GET or HEAD method cannot have a body.");
    }
    if (hasInitBody) {
      const { bytes, type } = extractBody(opts.body);
      this.#body = { bytes, used: false };
      if (type !== null && !this.#headers.has("content-type")) this.#headers.append("content-type", type);
    } else if (inputBody !== null && opts.body === undefined) {
      if (inputBody.used) throw new TypeError("Cannot construct a Request with a Request object that has already been used.");
      // Fetch §5.4 step 41: the input's body is taken over (input is disturbed).
      this.#body = { bytes: inputBody.bytes, used: false };
      inputBody.used = true;
    } else {
      this.#body = null;
    }
    if (this.#signal === null) this.#signal = new internals.AbortController().signal;
  }

  static {
    requestInternals = {
      body: (r) => {
        if (!(r !== null && typeof r === "object" && #method in r)) throw internals.illegalInvocation();
        return r.#body;
      },
      headers: (r) => r.#headers,
      is: (r) => r !== null && typeof r === "object" && #method in r,
      init(r, headers, bytes) {
        r.#headers = headers;
        r.#body = bytes === null ? null : { bytes, used: false };
      },
    };
  }

  static #check(o) { if (!(#method in o)) throw internals.illegalInvocation(); }
  get method() { Request.#check(this); return this.#method; }
  get url() { Request.#check(this); return this.#url; }
  get headers() { Request.#check(this); return this.#headers; }
  get redirect() { Request.#check(this); return this.#redirect; }
  get signal() { Request.#check(this); return this.#signal; }

  clone() {
    Request.#check(this);
    if (this.#body !== null && this.#body.used) throw new TypeError("Cannot clone a Request whose body has already been used.");
    const r = new Request(this, { body: null });
    r.#method = this.#method;
    r.#body = this.#body === null ? null : { bytes: this.#body.bytes, used: false };
    return r;
  }
}
defineBodyMethods(Request.prototype, requestInternals.body, (r) => requestInternals.headers(r).get("content-type"));

// ---- Response (Fetch §5.5) ----

const nullBodyStatuses = [101, 204, 205, 304];
const redirectStatuses = [301, 302, 303, 307, 308];

let responseInternals;

class Response {
  #status = 200; #statusText = ""; #headers; #body = null; #type = "default";
  #webSocket = null; #url = "";

  constructor(body = null, init = undefined) {
    const opts = internals.toDictionary(init, "ResponseInit");
    const status = opts.status === undefined ? 200 : Number(opts.status) & 0xffff;
    let webSocket = null;
    if (opts.webSocket !== undefined && opts.webSocket !== null) {
      if (!internals.isWebSocket(opts.webSocket)) {
        throw new TypeError("Failed to construct 'Response': member webSocket is not of type 'WebSocket'.");
      }
      webSocket = opts.webSocket;
    }
    // Fetch §5.5 "initialize a response", with the Workers exception that a
    // 101 is allowed when it carries a WebSocket.
    if (status === 101 && webSocket !== null) {
      // allowed
    } else if (status < 200 || status > 599) {
      throw new RangeError(`Responses may only be constructed with status codes in the range 200 to 599, inclusive.`);
    } else if (webSocket !== null) {
      throw new RangeError("Responses with a WebSocket must have status code 101.");
    }
    const statusText = opts.statusText === undefined ? "" : `${opts.statusText}`;
    // reason-phrase: HTAB, SP, VCHAR, obs-text.
    if (/[^\t\u0020-\u007e\u0080-\u00ff]/.test(statusText)) {
      throw new TypeError(`Invalid statusText: '${statusText}'`);
    }
    this.#status = status;
    this.#statusText = statusText;
    this.#webSocket = webSocket;
    this.#headers = new Headers(opts.headers === undefined ? undefined : opts.headers);
    if (body !== null && body !== undefined) {
      if (nullBodyStatuses.includes(status)) {
        throw new TypeError("Response with null body status cannot have body");
      }
      const { bytes, type } = extractBody(body);
      this.#body = { bytes, used: false };
      if (type !== null && !this.#headers.has("content-type")) this.#headers.append("content-type", type);
    }
  }

  static {
    responseInternals = {
      body: (r) => {
        if (!(r !== null && typeof r === "object" && #status in r)) throw internals.illegalInvocation();
        return r.#body;
      },
      headers: (r) => r.#headers,
      is: (r) => r !== null && typeof r === "object" && #status in r,
      parts: (r) => ({ status: r.#status, statusText: r.#statusText, headers: r.#headers, body: r.#body, webSocket: r.#webSocket }),
      makeError(r) { r.#type = "error"; r.#status = 0; headersInternals.freeze(r.#headers); },
    };
  }

  static error() {
    const r = new Response();
    responseInternals.makeError(r);
    return r;
  }

  // Fetch §5.5 Response.redirect(url, status = 302).
  static redirect(url, status = 302) {
    const parsed = internals.URL.parse(toUSVString(url));
    if (parsed === null) throw new TypeError("Invalid URL string.");
    const s = Number(status) & 0xffff;
    if (!redirectStatuses.includes(s)) throw new RangeError(`Invalid status code: ${s}`);
    const r = new Response(null, { status: s, headers: { location: parsed.href } });
    headersInternals.freeze(responseInternals.headers(r));
    return r;
  }

  // Fetch §5.5 Response.json(data, init).
  static json(data, init = undefined) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Value is not JSON serializable");
    // Built without a type so the string body's text/plain default does not
    // apply; application/json is added unless init.headers has a type.
    const r = new Response(internals.blobFromBytes(utf8Encode(text)), init);
    const h = responseInternals.headers(r);
    if (!h.has("content-type")) h.set("content-type", "application/json");
    return r;
  }

  static #check(o) { if (!(#status in o)) throw internals.illegalInvocation(); }
  get type() { Response.#check(this); return this.#type; }
  get url() { Response.#check(this); return this.#url; }
  get redirected() { Response.#check(this); return false; }
  get status() { Response.#check(this); return this.#status; }
  get ok() { Response.#check(this); return this.#status >= 200 && this.#status <= 299; }
  get statusText() { Response.#check(this); return this.#statusText; }
  get headers() { Response.#check(this); return this.#headers; }
  get webSocket() { Response.#check(this); return this.#webSocket; }

  clone() {
    Response.#check(this);
    if (this.#body !== null && this.#body.used) throw new TypeError("Cannot clone a Response whose body has already been used.");
    if (this.#webSocket !== null) throw new TypeError("Cannot clone a Response that has a WebSocket.");
    const r = new Response(null, { status: this.#status === 0 ? 200 : this.#status, statusText: this.#statusText, headers: this.#headers });
    r.#status = this.#status;
    r.#type = this.#type;
    r.#body = this.#body === null ? null : { bytes: this.#body.bytes, used: false };
    return r;
  }
}
defineBodyMethods(Response.prototype, responseInternals.body, (r) => responseInternals.headers(r).get("content-type"));

// ---- Rust <-> JS conversions ----

// Builds the Request handed to the worker from what Rust parsed off the wire.
// Incoming request headers are immutable, as in Workers.
function toRequest({ method, url, headers, body }) {
  const req = new Request(url, { method });
  const h = new Headers();
  const list = headersInternals.list(h);
  // Values come from the HTTP parser already validated; keep them verbatim.
  for (const [name, value] of headers) list.push([`${name}`.toLowerCase(), `${value}`]);
  headersInternals.freeze(h);
  const m = req.method;
  const hasBody = body !== null && body !== undefined && m !== "GET" && m !== "HEAD";
  requestInternals.init(req, h, hasBody ? body : null);
  return req;
}

// Reads a worker's answer (a Response or a promise of one) into plain data
// for Rust. Rejects with TypeError for anything else.
async function fromResponse(value) {
  const res = await value;
  if (!responseInternals.is(res)) {
    throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
  }
  const p = responseInternals.parts(res);
  let body = null;
  if (p.body !== null) {
    if (p.body.used) throw new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
    p.body.used = true;
    body = p.body.bytes;
  }
  const headers = headersInternals.list(p.headers).map(([n, v]) => [n, v]);
  const webSocket = p.webSocket === null ? null : internals.webSocketId(p.webSocket);
  if (webSocket !== null) internals.forgetWebSocket(webSocket);
  return { status: p.status, statusText: p.statusText, headers, body, webSocket };
}

internals.Headers = Headers;
internals.Request = Request;
internals.Response = Response;
internals.toRequest = toRequest;
internals.fromResponse = fromResponse;
