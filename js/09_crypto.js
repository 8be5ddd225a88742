// crypto.getRandomValues / crypto.randomUUID (W3C WebCrypto §10) and
// structuredClone (HTML §2.7.10).

const { DOMException, throwIfError, isErrorTriple } = internals;

// WebCrypto §10.1.1: only integer-typed arrays may be filled.
const integerArrayTypes = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,
  Int32Array, Uint32Array, BigInt64Array, BigUint64Array,
];

const kCreate = Symbol("create");

class Crypto {
  constructor(key = undefined) {
    if (key !== kCreate) throw new TypeError("Illegal constructor");
  }

  getRandomValues(array) {
    if (!(this instanceof Crypto)) throw internals.illegalInvocation();
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': 1 argument required, but only 0 present.");
    }
    if (!ArrayBuffer.isView(array)) {
      throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.");
    }
    if (!integerArrayTypes.some((T) => array instanceof T)) {
      throw new DOMException(
        "The data provided is not an integer-typed array.",
        "TypeMismatchError",
      );
    }
    if (array.byteLength > 65536) {
      throw new DOMException(
        `The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536).`,
        "QuotaExceededError",
      );
    }
    throwIfError(ops.getRandomValues(array));
    return array;
  }

  randomUUID() {
    if (!(this instanceof Crypto)) throw internals.illegalInvocation();
    return ops.randomUUID();
  }
}

const crypto = new Crypto(kCreate);

function structuredClone(value, options = undefined) {
  if (arguments.length < 1) {
    throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  }
  // `transfer` is accepted and ignored; only the dictionary type is checked.
  internals.toDictionary(options, "StructuredSerializeOptions");
  const result = ops.structuredClone(value);
  // A successful clone of an array of three strings looks exactly like an
  // error triple. Cloning such an array can never fail, so that case is data.
  if (isErrorTriple(result) && !(Array.isArray(value) && value.length === 3 &&
    value.every((v, i) => v === result[i]))) {
    throwIfError(result);
  }
  return result;
}

internals.Crypto = Crypto;
internals.crypto = crypto;
internals.structuredClone = structuredClone;
