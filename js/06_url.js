// URL and URLSearchParams (WHATWG URL §6).
//
// Parsing is native (`ops.urlParse`, the Rust `url` crate); URLSearchParams
// and application/x-www-form-urlencoded (URL §5) are implemented here.

const { toUSVString, utf8Encode, utf8Decode } = internals;

// Indices into the array returned by ops.urlParse.
const HREF = 0, PROTOCOL = 1, USERNAME = 2, PASSWORD = 3, HOST = 4, HOSTNAME = 5,
  PORT = 6, PATHNAME = 7, SEARCH = 8, HASH = 9, ORIGIN = 10;

// ---- application/x-www-form-urlencoded (URL §5) ----

function percentDecode(bytes) {
  const out = new Uint8Array(bytes.length);
  let j = 0;
  const hex = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2])) {
      out[j++] = parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
      i += 2;
    } else {
      out[j++] = b;
    }
  }
  return out.subarray(0, j);
}

// URL §5.1 "application/x-www-form-urlencoded parser".
function parseUrlencoded(input) {
  const list = [];
  for (const seq of input.split("&")) {
    if (seq === "") continue;
    const eq = seq.indexOf("=");
    const name = eq === -1 ? seq : seq.slice(0, eq);
    const value = eq === -1 ? "" : seq.slice(eq + 1);
    const decode = (s) => utf8Decode(percentDecode(utf8Encode(s.replace(/\+/g, " "))));
    list.push([decode(name), decode(value)]);
  }
  return list;
}

// URL §5.2: percent-encode everything except ASCII alphanumerics and *-._,
// with space as "+".
function serializeComponent(s) {
  const bytes = utf8Encode(s);
  let out = "";
  for (const b of bytes) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ||
      b === 0x2a || b === 0x2d || b === 0x2e || b === 0x5f) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) {
      out += "+";
    } else {
      out += "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
    }
  }
  return out;
}

function serializeUrlencoded(list) {
  return list.map(([n, v]) => `${serializeComponent(n)}=${serializeComponent(v)}`).join("&");
}

let paramsInternals;

class URLSearchParams {
  #list = [];
  #url = null; // the associated URL object, if any

  constructor(init = "") {
    if (init !== null && (typeof init === "object" || typeof init === "function")) {
      const iter = init[Symbol.iterator];
      if (iter !== undefined && iter !== null) {
        if (typeof iter !== "function") throw new TypeError("Failed to construct 'URLSearchParams': @@iterator is not callable.");
        for (const pair of init) {
          if (pair === null || typeof pair !== "object" || typeof pair[Symbol.iterator] !== "function") {
            throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
          }
          const p = Array.from(pair);
          if (p.length !== 2) {
            throw new TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements");
          }
          this.#list.push([toUSVString(p[0]), toUSVString(p[1])]);
        }
      } else {
        // record<USVString, USVString>: own enumerable string keys, in order.
        for (const key of Reflect.ownKeys(init)) {
          if (typeof key !== "string") continue;
          const desc = Reflect.getOwnPropertyDescriptor(init, key);
          if (desc === undefined || !desc.enumerable) continue;
          this.#list.push([toUSVString(key), toUSVString(init[key])]);
        }
      }
    } else {
      let s = toUSVString(init);
      if (s.startsWith("?")) s = s.slice(1);
      this.#list = parseUrlencoded(s);
    }
  }

  static {
    paramsInternals = {
      attach(params, url) { params.#url = url; },
      // Called when the URL's query changes from outside (search/href setters).
      reset(params, query) { params.#list = query === "" ? [] : parseUrlencoded(query); },
    };
  }

  static #check(o) { if (!(#list in o)) throw internals.illegalInvocation(); }

  // URL §6.2 "update steps": write the serialized list back to the URL.
  #update() {
    if (this.#url !== null) urlSetQueryFromParams(this.#url, serializeUrlencoded(this.#list));
  }

  get size() { URLSearchParams.#check(this); return this.#list.length; }

  append(name, value) {
    URLSearchParams.#check(this);
    if (arguments.length < 2) throw new TypeError(`Failed to execute 'append' on 'URLSearchParams': 2 arguments required, but only ${arguments.length} present.`);
    this.#list.push([toUSVString(name), toUSVString(value)]);
    this.#update();
  }

  delete(name, value = undefined) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'delete' on 'URLSearchParams': 1 argument required, but only 0 present.");
    const n = toUSVString(name);
    const v = value === undefined ? undefined : toUSVString(value);
    this.#list = this.#list.filter(([k, val]) => !(k === n && (v === undefined || val === v)));
    this.#update();
  }

  get(name) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'get' on 'URLSearchParams': 1 argument required, but only 0 present.");
    const n = toUSVString(name);
    const entry = this.#list.find(([k]) => k === n);
    return entry === undefined ? null : entry[1];
  }

  getAll(name) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'getAll' on 'URLSearchParams': 1 argument required, but only 0 present.");
    const n = toUSVString(name);
    return this.#list.filter(([k]) => k === n).map(([, v]) => v);
  }

  has(name, value = undefined) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'has' on 'URLSearchParams': 1 argument required, but only 0 present.");
    const n = toUSVString(name);
    const v = value === undefined ? undefined : toUSVString(value);
    return this.#list.some(([k, val]) => k === n && (v === undefined || val === v));
  }

  // URL §6.2 set(): replace the first match, drop the others.
  set(name, value) {
    URLSearchParams.#check(this);
    if (arguments.length < 2) throw new TypeError(`Failed to execute 'set' on 'URLSearchParams': 2 arguments required, but only ${arguments.length} present.`);
    const n = toUSVString(name);
    const v = toUSVString(value);
    const i = this.#list.findIndex(([k]) => k === n);
    if (i === -1) {
      this.#list.push([n, v]);
    } else {
      this.#list[i][1] = v;
      this.#list = this.#list.filter(([k], j) => j <= i || k !== n);
    }
    this.#update();
  }

  // Stable sort by name, comparing UTF-16 code units (URL §6.2 sort()).
  sort() {
    URLSearchParams.#check(this);
    const indexed = this.#list.map((e, i) => [e, i]);
    indexed.sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]));
    this.#list = indexed.map(([e]) => e);
    this.#update();
  }

  forEach(callback, thisArg = undefined) {
    URLSearchParams.#check(this);
    if (typeof callback !== "function") {
      throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': The callback provided as parameter 1 is not a function.");
    }
    for (let i = 0; i < this.#list.length; i++) {
      const [k, v] = this.#list[i];
      Reflect.apply(callback, thisArg, [v, k, this]);
    }
  }

  // Iterators are live over the list (WebIDL §3.7.9 default iterator).
  *entries() {
    URLSearchParams.#check(this);
    for (let i = 0; i < this.#list.length; i++) yield [this.#list[i][0], this.#list[i][1]];
  }
  *keys() { URLSearchParams.#check(this); for (let i = 0; i < this.#list.length; i++) yield this.#list[i][0]; }
  *values() { URLSearchParams.#check(this); for (let i = 0; i < this.#list.length; i++) yield this.#list[i][1]; }

  toString() {
    URLSearchParams.#check(this);
    return serializeUrlencoded(this.#list);
  }
}
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true,
});

// ---- URL ----

// URL §1.3 userinfo percent-encode set (ASCII part; non-ASCII is always
// encoded).
const userinfoSet = /[\u0000-\u0020"#<>?`{}/:;=@[\\\]^|\u007f]/;

function percentEncode(s, set) {
  let out = "";
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80 && !set.test(ch)) {
      out += ch;
    } else {
      for (const b of utf8Encode(ch)) out += "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
    }
  }
  return out;
}

function parse(input, base) {
  return ops.urlParse(input, base);
}

let urlInternals;

class URL {
  #parts;
  #searchParams = null;

  constructor(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
    const input = toUSVString(url);
    const parts = parse(input, base === undefined ? undefined : toUSVString(base));
    if (parts === null) throw new TypeError(`Invalid URL string.`);
    this.#parts = parts;
  }

  static {
    urlInternals = {
      setQuery(url, query) {
        // "" query from the params object means null query (URL §6.2).
        url.#reparse(url.#withoutQueryAndHash() + (query === "" ? "" : "?" + query) + url.#hashPart(), false, true);
      },
    };
  }

  static canParse(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'canParse' on 'URL': 1 argument required, but only 0 present.");
    return parse(toUSVString(url), base === undefined ? undefined : toUSVString(base)) !== null;
  }

  static parse(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'parse' on 'URL': 1 argument required, but only 0 present.");
    try {
      return new URL(url, base);
    } catch {
      return null;
    }
  }

  static #check(o) { if (!(#parts in o)) throw internals.illegalInvocation(); }

  // The href split at the query and fragment delimiters. The first "?" and
  // "#" of a serialized URL are always the delimiters (elsewhere they are
  // percent-encoded), and unlike the search/hash getters this keeps an empty
  // query "?" or fragment "#".
  #withoutHash() {
    const href = this.#parts[HREF];
    const i = href.indexOf("#");
    return i === -1 ? href : href.slice(0, i);
  }
  #withoutQueryAndHash() {
    const s = this.#withoutHash();
    const i = s.indexOf("?");
    return i === -1 ? s : s.slice(0, i);
  }
  // Everything before the path, e.g. "https://user:pw@host:8080".
  #prefix() {
    const s = this.#withoutQueryAndHash();
    return s.slice(0, s.length - this.#parts[PATHNAME].length);
  }
  // The query and fragment, exactly as serialized.
  #tail() {
    return this.#parts[HREF].slice(this.#withoutQueryAndHash().length);
  }
  #hashPart() {
    return this.#parts[HREF].slice(this.#withoutHash().length);
  }
  #special() {
    return ["http:", "https:", "ws:", "wss:", "ftp:", "file:"].includes(this.#parts[PROTOCOL]);
  }
  // A URL whose path is opaque ("mailto:x", "data:...") has no "/" after the
  // scheme (URL §4.1 "has an opaque path").
  #opaquePath() {
    return !this.#special() && !this.#prefix().includes("//") && !this.#parts[PATHNAME].startsWith("/");
  }

  // Setters rebuild the href and parse it again; invalid results leave the
  // URL unchanged, as the URL setters do on failure (except href).
  #reparse(href, strict, fromParams = false) {
    const parts = parse(href, undefined);
    if (parts === null) {
      if (strict) throw new TypeError("Invalid URL string.");
      return;
    }
    this.#parts = parts;
    if (this.#searchParams !== null && !fromParams) paramsInternals.reset(this.#searchParams, parts[SEARCH].slice(1));
  }

  get href() { URL.#check(this); return this.#parts[HREF]; }
  set href(v) { URL.#check(this); this.#reparse(toUSVString(v), true); }
  get origin() { URL.#check(this); return this.#parts[ORIGIN]; }

  get protocol() { URL.#check(this); return this.#parts[PROTOCOL]; }
  set protocol(v) {
    URL.#check(this);
    const scheme = toUSVString(v).split(":")[0];
    if (!/^[a-zA-Z][a-zA-Z0-9+\-.]*$/.test(scheme)) return;
    const lower = scheme.toLowerCase();
    const special = ["http", "https", "ws", "wss", "ftp", "file"].includes(lower);
    // URL §4.4 scheme state with state override: special-ness cannot change,
    // and "file" cannot gain credentials or a port.
    if (special !== this.#special()) return;
    if (lower === "file" && (this.#parts[USERNAME] !== "" || this.#parts[PASSWORD] !== "" || this.#parts[PORT] !== "")) return;
    const rest = this.#parts[HREF].slice(this.#parts[PROTOCOL].length);
    this.#reparse(`${lower}:${rest}`, false);
  }

  get username() { URL.#check(this); return this.#parts[USERNAME]; }
  set username(v) { URL.#check(this); this.#setCredentials(toUSVString(v), this.#parts[PASSWORD]); }
  get password() { URL.#check(this); return this.#parts[PASSWORD]; }
  set password(v) { URL.#check(this); this.#setCredentials(this.#parts[USERNAME], toUSVString(v)); }
  #setCredentials(user, pass) {
    const p = this.#parts;
    // URL §6.1: "cannot have a username/password/port".
    if (p[HOSTNAME] === "" || p[PROTOCOL] === "file:") return;
    const enc = (s) => percentEncode(s, userinfoSet);
    const userinfo = user === "" && pass === "" ? "" : `${enc(user)}${pass === "" ? "" : ":" + enc(pass)}@`;
    this.#reparse(`${p[PROTOCOL]}//${userinfo}${p[HOST]}${p[PATHNAME]}${this.#tail()}`, false);
  }
  #userinfo() {
    const p = this.#parts;
    if (p[USERNAME] === "" && p[PASSWORD] === "") return "";
    return `${p[USERNAME]}${p[PASSWORD] === "" ? "" : ":" + p[PASSWORD]}@`;
  }

  get host() { URL.#check(this); return this.#parts[HOST]; }
  set host(v) {
    URL.#check(this);
    if (this.#opaquePath()) return;
    const s = toUSVString(v);
    if (s === "" && this.#special()) return;
    // Host state stops at "/", "?", "#" (and "\" for special URLs).
    const host = s.split(this.#special() ? /[/?#\\]/ : /[/?#]/)[0];
    const p = this.#parts;
    this.#reparse(`${p[PROTOCOL]}//${this.#userinfo()}${host}${p[PATHNAME]}${this.#tail()}`, false);
  }

  get hostname() { URL.#check(this); return this.#parts[HOSTNAME]; }
  set hostname(v) {
    URL.#check(this);
    if (this.#opaquePath()) return;
    const s = toUSVString(v);
    if (s === "" && this.#special()) return;
    // Hostname state additionally stops at ":" outside brackets.
    let hostname = s.split(this.#special() ? /[/?#\\]/ : /[/?#]/)[0];
    if (!hostname.startsWith("[")) hostname = hostname.split(":")[0];
    const p = this.#parts;
    const port = p[PORT] === "" ? "" : ":" + p[PORT];
    this.#reparse(`${p[PROTOCOL]}//${this.#userinfo()}${hostname}${port}${p[PATHNAME]}${this.#tail()}`, false);
  }

  get port() { URL.#check(this); return this.#parts[PORT]; }
  set port(v) {
    URL.#check(this);
    const p = this.#parts;
    if (p[HOSTNAME] === "" || p[PROTOCOL] === "file:") return;
    const s = toUSVString(v);
    // Port state: leading ASCII digits only; "" removes the port.
    const digits = s === "" ? "" : (/^[0-9]*/.exec(s)[0]);
    if (s !== "" && digits === "") return;
    const port = digits === "" ? "" : ":" + digits;
    this.#reparse(`${p[PROTOCOL]}//${this.#userinfo()}${p[HOSTNAME]}${port}${p[PATHNAME]}${this.#tail()}`, false);
  }

  get pathname() { URL.#check(this); return this.#parts[PATHNAME]; }
  set pathname(v) {
    URL.#check(this);
    if (this.#opaquePath()) return;
    // With a state override "?" and "#" are part of the path, so they must
    // be escaped before reparsing a whole href.
    let path = toUSVString(v).replace(/%(?![0-9A-Fa-f]{2})/g, "%25").replace(/\?/g, "%3F").replace(/#/g, "%23");
    const slash = this.#special() ? /^[/\\]/ : /^\//;
    if (!slash.test(path) && (this.#special() || this.#parts[HOST] !== "")) path = "/" + path;
    this.#reparse(this.#prefix() + path + this.#tail(), false);
  }

  get search() { URL.#check(this); return this.#parts[SEARCH]; }
  set search(v) {
    URL.#check(this);
    let s = toUSVString(v);
    if (s.startsWith("?")) s = s.slice(1);
    const query = s === "" ? "" : "?" + s.replace(/#/g, "%23");
    this.#reparse(this.#withoutQueryAndHash() + query + this.#hashPart(), false);
  }

  get searchParams() {
    URL.#check(this);
    if (this.#searchParams === null) {
      this.#searchParams = new URLSearchParams(this.#parts[SEARCH]);
      paramsInternals.attach(this.#searchParams, this);
    }
    return this.#searchParams;
  }

  get hash() { URL.#check(this); return this.#parts[HASH]; }
  set hash(v) {
    URL.#check(this);
    let s = toUSVString(v);
    if (s.startsWith("#")) s = s.slice(1);
    const base = this.#withoutHash();
    this.#reparse(s === "" ? base : `${base}#${s}`, false);
  }

  toString() { URL.#check(this); return this.#parts[HREF]; }
  toJSON() { URL.#check(this); return this.#parts[HREF]; }
}

function urlSetQueryFromParams(url, query) {
  urlInternals.setQuery(url, query);
}

internals.URL = URL;
internals.URLSearchParams = URLSearchParams;
internals.parseUrlencoded = parseUrlencoded;
internals.serializeUrlencoded = serializeUrlencoded;
