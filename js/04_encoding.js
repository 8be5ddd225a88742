// TextEncoder/TextDecoder (WHATWG Encoding §7-§9), atob/btoa (HTML §8.3
// "Base64 utility methods") and Blob/File (W3C File API §3-§4).
//
// V8 has no encoding APIs of its own, so UTF-8 is implemented here and shared
// with the other glue files via internals.utf8Encode / utf8Decode.

const { DOMException, toDictionary, toUSVString } = internals;

// ---- UTF-8 encoder (Encoding §9.1.3) ----

// Encodes a JS string as UTF-8; lone surrogates become U+FFFD (USVString).
function utf8Encode(input) {
  const s = `${input}`;
  const out = new Uint8Array(s.length * 3);
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) { out[j++] = c; continue; }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      out[j++] = 0xe0 | (c >> 12);
      out[j++] = 0x80 | ((c >> 6) & 0x3f);
      out[j++] = 0x80 | (c & 0x3f);
    } else {
      out[j++] = 0xf0 | (c >> 18);
      out[j++] = 0x80 | ((c >> 12) & 0x3f);
      out[j++] = 0x80 | ((c >> 6) & 0x3f);
      out[j++] = 0x80 | (c & 0x3f);
    }
  }
  return out.slice(0, j);
}

// Builds a string from an array of UTF-16 code units without blowing the
// argument-count limit of String.fromCharCode.
function codeUnitsToString(units, length) {
  let s = "";
  for (let i = 0; i < length; i += 8192) {
    s += String.fromCharCode.apply(null, units.subarray(i, Math.min(i + 8192, length)));
  }
  return s;
}

// ---- Decoders: objects with decode(bytes, flush) -> string | null (error) ----

const decodeError = Symbol("decodeError");

// UTF-8 decoder state machine (Encoding §9.1.2), which yields exactly one
// U+FFFD per maximal ill-formed subsequence.
function makeUtf8Decoder(fatal) {
  let cp = 0, seen = 0, needed = 0, lower = 0x80, upper = 0xbf;
  return function decode(bytes, flush) {
    const units = new Uint16Array(bytes.length * 2 + 1);
    let n = 0;
    const error = () => {
      if (fatal) throw decodeError;
      units[n++] = 0xfffd;
    };
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (needed === 0) {
        if (b < 0x80) units[n++] = b;
        else if (b >= 0xc2 && b <= 0xdf) { needed = 1; cp = b & 0x1f; }
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2; cp = b & 0xf;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3; cp = b & 0x7;
        } else error();
        continue;
      }
      if (b < lower || b > upper) {
        cp = seen = needed = 0; lower = 0x80; upper = 0xbf;
        error();
        i--; // "prepend byte to stream": reprocess it as a lead byte.
        continue;
      }
      lower = 0x80; upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      if (++seen === needed) {
        if (cp >= 0x10000) {
          units[n++] = 0xd800 + ((cp - 0x10000) >> 10);
          units[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        } else units[n++] = cp;
        cp = seen = needed = 0;
      }
    }
    if (flush && needed !== 0) {
      cp = seen = needed = 0; lower = 0x80; upper = 0xbf;
      error();
    }
    return codeUnitsToString(units, n);
  };
}

// UTF-16LE/BE decoder (Encoding §14.2.1): unpaired surrogates are errors.
function makeUtf16Decoder(fatal, bigEndian) {
  let leadByte = -1, leadSurrogate = -1;
  return function decode(bytes, flush) {
    const units = new Uint16Array(bytes.length + 2);
    let n = 0;
    const error = () => {
      if (fatal) throw decodeError;
      units[n++] = 0xfffd;
    };
    for (let i = 0; i < bytes.length; i++) {
      if (leadByte === -1) { leadByte = bytes[i]; continue; }
      const unit = bigEndian ? (leadByte << 8) | bytes[i] : (bytes[i] << 8) | leadByte;
      leadByte = -1;
      if (leadSurrogate !== -1) {
        const lead = leadSurrogate;
        leadSurrogate = -1;
        if (unit >= 0xdc00 && unit <= 0xdfff) { units[n++] = lead; units[n++] = unit; continue; }
        error();
      }
      if (unit >= 0xd800 && unit <= 0xdbff) { leadSurrogate = unit; continue; }
      if (unit >= 0xdc00 && unit <= 0xdfff) { error(); continue; }
      units[n++] = unit;
    }
    if (flush && (leadByte !== -1 || leadSurrogate !== -1)) {
      leadByte = leadSurrogate = -1;
      error();
    }
    return codeUnitsToString(units, n);
  };
}

// windows-1252 (what the labels "latin1", "ascii", "iso-8859-1" resolve to,
// Encoding §4.2): identical to ISO-8859-1 except 0x80-0x9F.
const cp1252High = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030,
  0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c,
  0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d,
  0x17e, 0x178,
];
function makeWindows1252Decoder() {
  return function decode(bytes) {
    const units = new Uint16Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      units[i] = b >= 0x80 && b < 0xa0 ? cp1252High[b - 0x80] : b;
    }
    return codeUnitsToString(units, bytes.length);
  };
}

const labels = new Map();
for (const l of ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]) labels.set(l, "utf-8");
for (const l of ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"]) labels.set(l, "utf-16le");
for (const l of ["unicodefffe", "utf-16be"]) labels.set(l, "utf-16be");
for (const l of ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
  "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
  "windows-1252", "x-cp1252"]) labels.set(l, "windows-1252");

function makeDecoder(encoding, fatal) {
  switch (encoding) {
    case "utf-8": return makeUtf8Decoder(fatal);
    case "utf-16le": return makeUtf16Decoder(fatal, false);
    case "utf-16be": return makeUtf16Decoder(fatal, true);
    default: return makeWindows1252Decoder();
  }
}

// Returns a Uint8Array view over any BufferSource, or null if not one.
function bufferSourceBytes(input) {
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (typeof SharedArrayBuffer === "function" && input instanceof SharedArrayBuffer) return new Uint8Array(input);
  return null;
}

// Non-fatal UTF-8 decode of bytes with BOM stripping, as in "UTF-8 decode"
// (Encoding §6), used by Body#text() and Blob#text().
function utf8Decode(bytes) {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  return makeUtf8Decoder(false)(start === 0 ? bytes : bytes.subarray(start), true);
}

class TextEncoder {
  get encoding() {
    if (!(this instanceof TextEncoder)) throw internals.illegalInvocation();
    return "utf-8";
  }

  encode(input = "") {
    if (!(this instanceof TextEncoder)) throw internals.illegalInvocation();
    return utf8Encode(input);
  }

  // Encoding §8.2: `read` counts UTF-16 code units consumed; stops at the
  // first scalar value that does not fit.
  encodeInto(source, destination) {
    if (!(this instanceof TextEncoder)) throw internals.illegalInvocation();
    if (!(destination instanceof Uint8Array)) {
      throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
    }
    const s = toUSVString(source);
    let read = 0, written = 0;
    const cap = destination.length;
    while (read < s.length) {
      const cp = s.codePointAt(read);
      const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (written + len > cap) break;
      if (len === 1) destination[written] = cp;
      else destination.set(utf8Encode(String.fromCodePoint(cp)), written);
      written += len;
      read += cp >= 0x10000 ? 2 : 1;
    }
    return { read, written };
  }
}

class TextDecoder {
  #encoding; #fatal; #ignoreBOM; #decoder = null; #doNotFlush = false; #bomSeen = false;

  constructor(label = "utf-8", options = undefined) {
    const opts = toDictionary(options, "TextDecoderOptions");
    const key = `${label}`.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "").toLowerCase();
    const encoding = labels.get(key);
    if (encoding === undefined) {
      throw new RangeError(`Failed to construct 'TextDecoder': The encoding label provided ('${label}') is invalid.`);
    }
    this.#encoding = encoding;
    this.#fatal = !!opts.fatal;
    this.#ignoreBOM = !!opts.ignoreBOM;
  }

  get encoding() { if (!(#encoding in this)) throw internals.illegalInvocation(); return this.#encoding; }
  get fatal() { if (!(#encoding in this)) throw internals.illegalInvocation(); return this.#fatal; }
  get ignoreBOM() { if (!(#encoding in this)) throw internals.illegalInvocation(); return this.#ignoreBOM; }

  // Encoding §7.2 decode(input, options).
  decode(input = undefined, options = undefined) {
    if (!(#encoding in this)) throw internals.illegalInvocation();
    let bytes;
    if (input === undefined) bytes = new Uint8Array(0);
    else {
      bytes = bufferSourceBytes(input);
      if (bytes === null) {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'ArrayBuffer' or 'ArrayBufferView'.");
      }
    }
    const opts = toDictionary(options, "TextDecodeOptions");
    if (!this.#doNotFlush) {
      this.#decoder = makeDecoder(this.#encoding, this.#fatal);
      this.#bomSeen = false;
    }
    this.#doNotFlush = !!opts.stream;
    let out;
    try {
      out = this.#decoder(bytes, !this.#doNotFlush);
    } catch (e) {
      if (e !== decodeError) throw e;
      this.#doNotFlush = false;
      throw new TypeError(`The encoded data was not valid for encoding ${this.#encoding}`);
    }
    if (this.#encoding !== "windows-1252" && !this.#ignoreBOM && !this.#bomSeen && out.length > 0) {
      this.#bomSeen = true;
      if (out.charCodeAt(0) === 0xfeff) out = out.slice(1);
    }
    return out;
  }
}

// ---- atob / btoa (HTML §8.3, Infra "forgiving-base64") ----

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const b64Values = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) b64Values[b64Alphabet.charCodeAt(i)] = i;

function base64Encode(bytes) {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += b64Alphabet[v >> 18] + b64Alphabet[(v >> 12) & 63] + b64Alphabet[(v >> 6) & 63] + b64Alphabet[v & 63];
  }
  if (i < bytes.length) {
    const rest = bytes.length - i;
    const v = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out += b64Alphabet[v >> 18] + b64Alphabet[(v >> 12) & 63] +
      (rest === 2 ? b64Alphabet[(v >> 6) & 63] : "=") + "=";
  }
  return out;
}

function btoa(data) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.");
  }
  const s = `${data}`;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) {
      throw new DOMException("The string to be encoded contains characters outside of the Latin1 range.", "InvalidCharacterError");
    }
    bytes[i] = c;
  }
  return base64Encode(bytes);
}

// Infra "forgiving-base64 decode"; returns null on failure.
function forgivingBase64Decode(input) {
  let s = input.replace(/[\t\n\f\r ]/g, "");
  if (s.length % 4 === 0) s = s.replace(/==?$/, "");
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let buffer = 0, bits = 0, j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? b64Values[c] : -1;
    if (v === -1) return null;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, j);
}

function atob(data) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.");
  }
  const bytes = forgivingBase64Decode(`${data}`);
  if (bytes === null) {
    throw new DOMException("The string to be decoded is not correctly encoded.", "InvalidCharacterError");
  }
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return s;
}

// ---- Blob / File (File API §3, §4) ----

// File API: a type that is not all printable ASCII becomes "", else it is
// lowercased.
function normalizeType(t) {
  const s = `${t}`;
  return /[^\u0020-\u007e]/.test(s) ? "" : s.toLowerCase();
}

let blobBytes;

class Blob {
  #bytes;
  #type;

  constructor(blobParts = undefined, options = undefined) {
    const opts = toDictionary(options, "BlobPropertyBag");
    const type = opts.type === undefined ? "" : normalizeType(opts.type);
    const endings = opts.endings === undefined ? "transparent" : `${opts.endings}`;
    if (endings !== "transparent" && endings !== "native") {
      throw new TypeError(`Failed to construct 'Blob': The provided value '${endings}' is not a valid enum value of type EndingType.`);
    }
    if (blobParts === kBlobFromBytes) {
      // Internal construction from bytes we own (slice(), Body#blob()).
      this.#bytes = options.bytes;
      this.#type = type;
      return;
    }
    const chunks = [];
    if (blobParts !== undefined && blobParts !== null) {
      if (typeof blobParts !== "object" || typeof blobParts[Symbol.iterator] !== "function") {
        throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
      }
      for (const part of blobParts) {
        const bytes = bufferSourceBytes(part);
        if (bytes !== null) chunks.push(bytes.slice());
        else if (part !== null && typeof part === "object" && #bytes in part) chunks.push(part.#bytes);
        else {
          let s = toUSVString(part);
          // File API "convert line endings to native": "\n" on POSIX hosts.
          if (endings === "native") s = s.replace(/\r\n?/g, "\n");
          chunks.push(utf8Encode(s));
        }
      }
    }
    this.#bytes = concatBytes(chunks);
    this.#type = type;
  }

  static {
    blobBytes = (b) => {
      if (!(b !== null && typeof b === "object" && #bytes in b)) return null;
      return b.#bytes;
    };
  }

  get size() { if (!(#bytes in this)) throw internals.illegalInvocation(); return this.#bytes.length; }
  get type() { if (!(#bytes in this)) throw internals.illegalInvocation(); return this.#type; }

  // File API §3.3.1 slice(start, end, contentType): negative indices count
  // from the end, all clamped to [0, size].
  slice(start = undefined, end = undefined, contentType = undefined) {
    if (!(#bytes in this)) throw internals.illegalInvocation();
    const size = this.#bytes.length;
    const rel = (v, dflt) => {
      if (v === undefined) return dflt;
      const n = Math.trunc(Number(v)) || 0;
      return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
    };
    const from = rel(start, 0);
    const to = rel(end, size);
    const bytes = this.#bytes.slice(from, Math.max(from, to));
    const type = contentType === undefined ? "" : normalizeType(contentType);
    return new Blob(kBlobFromBytes, { type, bytes });
  }

  text() {
    if (!(#bytes in this)) return Promise.reject(internals.illegalInvocation());
    return Promise.resolve(utf8Decode(this.#bytes));
  }

  arrayBuffer() {
    if (!(#bytes in this)) return Promise.reject(internals.illegalInvocation());
    return Promise.resolve(this.#bytes.slice().buffer);
  }

  bytes() {
    if (!(#bytes in this)) return Promise.reject(internals.illegalInvocation());
    return Promise.resolve(this.#bytes.slice());
  }
}

const kBlobFromBytes = Symbol("fromBytes");

class File extends Blob {
  #name; #lastModified;
  constructor(fileBits, fileName, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`);
    }
    const opts = toDictionary(options, "FilePropertyBag");
    super(fileBits, opts);
    this.#name = toUSVString(fileName);
    this.#lastModified = opts.lastModified === undefined ? Date.now() : Math.trunc(Number(opts.lastModified)) || 0;
  }
  get name() { if (!(#name in this)) throw internals.illegalInvocation(); return this.#name; }
  get lastModified() { if (!(#name in this)) throw internals.illegalInvocation(); return this.#lastModified; }
  get webkitRelativePath() { if (!(#name in this)) throw internals.illegalInvocation(); return ""; }
}

function concatBytes(chunks) {
  if (chunks.length === 1) return chunks[0];
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}

internals.utf8Encode = utf8Encode;
internals.utf8Decode = utf8Decode;
internals.bufferSourceBytes = bufferSourceBytes;
internals.concatBytes = concatBytes;
internals.base64Encode = base64Encode;
internals.TextEncoder = TextEncoder;
internals.TextDecoder = TextDecoder;
internals.atob = atob;
internals.btoa = btoa;
internals.Blob = Blob;
internals.File = File;
// Returns the Blob's bytes (shared, do not mutate) or null if not a Blob.
internals.blobBytes = blobBytes;
// Makes a Blob that takes ownership of `bytes` (a Uint8Array).
internals.blobFromBytes = (bytes, type = "") => new Blob(kBlobFromBytes, { type, bytes });
