// DOMException (WebIDL §3.14.1 "DOMException") and the error-triple helper
// shared by every glue file.
//
// Loaded as `(function (globalThis, ops, internals) { "use strict"; ... })`.

// WebIDL §3.14.1 "Error names": name -> legacy code. Names without a legacy
// code map to 0 (the `code` getter returns 0 for any name not in this table).
const codeByName = {
  __proto__: null,
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

// The legacy constants exposed on both the interface object and its
// prototype (WebIDL §3.14.1, the `const unsigned short` members).
const legacyConstants = [
  ["INDEX_SIZE_ERR", 1], ["DOMSTRING_SIZE_ERR", 2],
  ["HIERARCHY_REQUEST_ERR", 3], ["WRONG_DOCUMENT_ERR", 4],
  ["INVALID_CHARACTER_ERR", 5], ["NO_DATA_ALLOWED_ERR", 6],
  ["NO_MODIFICATION_ALLOWED_ERR", 7], ["NOT_FOUND_ERR", 8],
  ["NOT_SUPPORTED_ERR", 9], ["INUSE_ATTRIBUTE_ERR", 10],
  ["INVALID_STATE_ERR", 11], ["SYNTAX_ERR", 12],
  ["INVALID_MODIFICATION_ERR", 13], ["NAMESPACE_ERR", 14],
  ["INVALID_ACCESS_ERR", 15], ["VALIDATION_ERR", 16],
  ["TYPE_MISMATCH_ERR", 17], ["SECURITY_ERR", 18], ["NETWORK_ERR", 19],
  ["ABORT_ERR", 20], ["URL_MISMATCH_ERR", 21], ["QUOTA_EXCEEDED_ERR", 22],
  ["TIMEOUT_ERR", 23], ["INVALID_NODE_TYPE_ERR", 24], ["DATA_CLONE_ERR", 25],
];

function illegalInvocation() {
  return new TypeError("Illegal invocation");
}

// Not `class extends Error`: WebIDL makes `name`/`message`/`code` accessors on
// the prototype, whereas `super(message)` would create an own `message` data
// property. The prototype chain is fixed up below so that
// `DOMException.prototype.__proto__ === Error.prototype`.
class DOMException {
  #name;
  #message;

  constructor(message = "", name = "Error") {
    // WebIDL: both arguments are DOMString (ToString, symbols throw).
    this.#message = `${message}`;
    this.#name = `${name}`;
    // Gives the instance a V8 `stack` like a native Error. Captured after the
    // fields are set so the stack header reads "<name>: <message>".
    if (typeof Error.captureStackTrace === "function") {
      Error.captureStackTrace(this, DOMException);
    }
  }

  get name() {
    if (!(#name in this)) throw illegalInvocation();
    return this.#name;
  }

  get message() {
    if (!(#message in this)) throw illegalInvocation();
    return this.#message;
  }

  get code() {
    if (!(#name in this)) throw illegalInvocation();
    return codeByName[this.#name] ?? 0;
  }

  static isDOMException(value) {
    return value !== null && typeof value === "object" && #name in value;
  }
}

Object.setPrototypeOf(DOMException.prototype, Error.prototype);

for (const [constName, value] of legacyConstants) {
  // WebIDL §3.7.4 constants: { [[Writable]]: false, [[Enumerable]]: true,
  // [[Configurable]]: false }.
  const desc = { value, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(DOMException, constName, desc);
  Object.defineProperty(DOMException.prototype, constName, desc);
}

const isDOMException = DOMException.isDOMException;
delete DOMException.isDOMException;

// Ops that can fail return `[kind, name, message]` instead of throwing (see
// the contract with the Rust side). The message is passed through verbatim.
function isErrorTriple(result) {
  return Array.isArray(result) && result.length === 3 &&
    (result[0] === "DOMException" || result[0] === "TypeError") &&
    typeof result[1] === "string" && typeof result[2] === "string";
}

function throwIfError(result) {
  if (isErrorTriple(result)) {
    if (result[0] === "DOMException") {
      throw new DOMException(result[2], result[1]);
    }
    throw new TypeError(result[2]);
  }
  return result;
}

internals.DOMException = DOMException;
internals.isDOMException = isDOMException;
internals.isErrorTriple = isErrorTriple;
internals.throwIfError = throwIfError;
internals.illegalInvocation = illegalInvocation;

// WebIDL USVString conversion: ToString, then lone surrogates -> U+FFFD.
internals.toUSVString = function toUSVString(value) {
  const s = `${value}`;
  if (typeof s.toWellFormed === "function") return s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
};

// Helpers for WebIDL dictionary arguments: undefined/null are "missing", any
// other non-object is a TypeError (WebIDL §3.2.17 dictionaries).
internals.toDictionary = function toDictionary(value, what) {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" && typeof value !== "function") {
    throw new TypeError(`${what} must be an object.`);
  }
  return value;
};
