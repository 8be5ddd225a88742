// The assertions of hearth's testharness: web-platform-tests' `assert_*`
// and `promise_rejects_*` family (https://web-platform-tests.org/writing-tests/testharness-api.html),
// with failure messages in testharness.js's format,
// `<assert name>: <description> <what went wrong>`, values shown by
// `format_value`. 10_testharness.js puts them on a test file's global at
// install; this file only defines them.

// An assertion failure. testharness.js makes it an Error subtype whose
// `stack` starts at the test's own code, not inside the harness.
class AssertionError extends Error {
  constructor(message) {
    super();
    this.message = typeof message === "string" ? sanitizeSurrogates(message) : message;
    this.stack = callerStack();
  }
}

// `assert_implements_optional`: the test is PRECONDITION_FAILED, not FAIL.
class OptionalFeatureUnsupportedError extends AssertionError {}

// Frames of the glue itself (scripts named `hearth:NN_name.js`) are noise in
// a test's stack: named (`at f (hearth:...)`, `at async f (hearth:...)`) and
// anonymous (`at hearth:...`, `at async hearth:...`) ones.
const glueFrame = /^ {4}at (?:.*[( ])?hearth:\d+_[\w.-]+:\d+:\d+\)?$/;
// A built-in's frame called by the glue is the glue's too (its
// `new Promise(...)` in promise_test); one called by the test's code stays.
const builtinFrame = /^ {4}at .*\((?:<anonymous>|native)\)$/;

function withoutGlueFrames(stack) {
  const lines = stack.split("\n");
  const kept = [];
  // From the outermost frame in: a frame's caller is the line after it.
  let calledByGlue = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (glueFrame.test(line)) {
      calledByGlue = true;
    } else if (!(calledByGlue && builtinFrame.test(line))) {
      calledByGlue = false;
      kept.push(line);
    }
  }
  return kept.reverse().join("\n");
}

// The frames of the test's code (no "Error" header line), or null when
// there are none.
function callerStack() {
  const stack = new Error().stack;
  if (typeof stack !== "string") return null;
  const frames = withoutGlueFrames(stack.substring(stack.indexOf("\n") + 1));
  return frames.trim() === "" ? null : frames;
}

// Reports are JSON for a UTF-8 reader: a lone surrogate becomes "U+d800",
// as testharness.js does for test names.
function sanitizeSurrogates(text) {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `U+${c.charCodeAt(0).toString(16)}`);
}

// format_value's escapes for control characters and U+FFFD-U+FFFF.
const escapes = new Map([
  [0, "\\0"], [8, "\\b"], [9, "\\t"], [10, "\\n"], [11, "\\v"], [12, "\\f"], [13, "\\r"],
  [0xfffd, "\\ufffd"], [0xfffe, "\\ufffe"], [0xffff, "\\uffff"],
]);

function escapeChar(c) {
  const code = c.charCodeAt(0);
  return escapes.get(code) ?? `\\x${code.toString(16).padStart(2, "0")}`;
}

function truncate(s, length) {
  return s.length > length ? `${s.substring(0, length - 3)}...` : s;
}

// testharness.js `format_value`: strings quoted and escaped, -0 kept,
// arrays element by element (cycles as "[...]"), other objects as
// `<typeof> "<String(value)>"`.
function format_value(val, seen = []) {
  if (Array.isArray(val)) {
    if (seen.includes(val)) return "[...]";
    const inner = [...seen, val];
    const items = val.map((x) => format_value(x, inner)).join(", ");
    return `[${val.beginEllipsis !== undefined ? "…, " : ""}${items}${val.endEllipsis !== undefined ? ", …" : ""}]`;
  }
  switch (typeof val) {
    case "string": {
      const escaped = val.replace(/\\/g, "\\\\")
        .replace(/[\x00-\x1f\ufffd-\uffff]/g, escapeChar)
        .replace(/"/g, '\\"');
      return `"${escaped}"`;
    }
    case "boolean":
    case "undefined":
      return String(val);
    case "number":
      return Object.is(val, -0) ? "-0" : String(val);
    case "bigint":
      return `${val}n`;
    default:
      if (val === null) return "null";
      try {
        return `${typeof val} "${truncate(String(val), 1000)}"`;
      } catch (e) {
        let what;
        try { what = String(e); } catch { what = "an exception"; }
        return `[stringifying object threw ${what} with type ${typeof e}]`;
      }
  }
}

// `<name>: <description> <error>`, where `${key}` in `error` is replaced by
// format_value(substitutions[key]). The description is never expanded.
function makeMessage(name, description, error = "", substitutions = {}) {
  const text = error.replace(/\$\{([^ }]*)\}/g, (_, key) => format_value(substitutions[key]));
  return [`${name}:`, description, text].filter((part) => part).join(" ");
}

function assert(condition, name, description, error, substitutions) {
  if (condition !== true) throw new AssertionError(makeMessage(name, description, error, substitutions));
}

// SameValue, but +0 and -0 differ and NaN equals NaN.
function sameValue(x, y) {
  return Object.is(x, y);
}

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

function assert_true(actual, description) {
  assert(actual === true, "assert_true", description, "expected true got ${actual}", { actual });
}

function assert_false(actual, description) {
  assert(actual === false, "assert_false", description, "expected false got ${actual}", { actual });
}

function assert_equals(actual, expected, description) {
  if (typeof actual !== typeof expected) {
    assert(false, "assert_equals", description,
      `expected (${typeof expected}) \${expected} but got (${typeof actual}) \${actual}`, { expected, actual });
  }
  assert(sameValue(actual, expected), "assert_equals", description,
    "expected ${expected} but got ${actual}", { expected, actual });
}

function assert_not_equals(actual, expected, description) {
  assert(!sameValue(actual, expected), "assert_not_equals", description,
    "got disallowed value ${actual}", { actual });
}

function assert_in_array(actual, expected, description) {
  assert(expected.indexOf(actual) !== -1, "assert_in_array", description,
    "value ${actual} not in array ${expected}", { actual, expected });
}

// Deprecated in WPT but still used: a recursive comparison of enumerable
// properties.
function assert_object_equals(actual, expected, description) {
  assert(typeof actual === "object" && actual !== null, "assert_object_equals", description,
    "value is ${actual}, expected object", { actual });
  const check = (a, e, stack) => {
    stack.push(a);
    for (const p in a) {
      assert(hasOwn(e, p), "assert_object_equals", description, "unexpected property ${p}", { p });
      if (typeof a[p] === "object" && a[p] !== null) {
        if (!stack.includes(a[p])) check(a[p], e[p], stack);
      } else {
        assert(sameValue(a[p], e[p]), "assert_object_equals", description,
          "property ${p} expected ${expected} got ${actual}", { p, expected: e[p], actual: a[p] });
      }
    }
    for (const p in e) {
      assert(hasOwn(a, p), "assert_object_equals", description, "expected property ${p} missing", { p });
    }
    stack.pop();
  };
  check(actual, expected, []);
}

// At most 20 elements around `index` for a message, with "…" where cut.
function shorten(array, index) {
  const max = 20;
  if (array.length < max + 2) return array;
  let upper = Math.min(Math.floor(max / 2) + index, array.length);
  const lower = Math.max(upper - max, 0);
  if (lower === 0) upper = max;
  const out = Array.prototype.slice.call(array, lower, upper);
  if (lower > 0) out.beginEllipsis = true;
  if (upper < array.length) out.endEllipsis = true;
  return out;
}

function assert_array_equals(actual, expected, description) {
  assert(typeof actual === "object" && actual !== null && "length" in actual, "assert_array_equals",
    description, "value is ${actual}, expected array", { actual });
  assert(actual.length === expected.length, "assert_array_equals", description,
    "lengths differ, expected array ${expected} length ${expectedLength}, got ${actual} length ${actualLength}",
    {
      expected: shorten(expected, expected.length - 1), expectedLength: expected.length,
      actual: shorten(actual, actual.length - 1), actualLength: actual.length,
    });
  for (let i = 0; i < actual.length; i++) {
    const arrays = { arrayExpected: shorten(expected, i), arrayActual: shorten(actual, i) };
    assert(hasOwn(actual, i) === hasOwn(expected, i), "assert_array_equals", description,
      "expected property ${i} to be ${expected} but was ${actual} (expected array ${arrayExpected} got ${arrayActual})",
      {
        i, expected: hasOwn(expected, i) ? "present" : "missing",
        actual: hasOwn(actual, i) ? "present" : "missing", ...arrays,
      });
    assert(sameValue(expected[i], actual[i]), "assert_array_equals", description,
      "expected property ${i} to be ${expected} but got ${actual} (expected array ${arrayExpected} got ${arrayActual})",
      { i, expected: expected[i], actual: actual[i], ...arrays });
  }
}

function assert_array_approx_equals(actual, expected, epsilon, description) {
  const name = "assert_array_approx_equals";
  assert(actual.length === expected.length, name, description,
    "lengths differ, expected ${expected} got ${actual}", { expected: expected.length, actual: actual.length });
  for (let i = 0; i < actual.length; i++) {
    assert(hasOwn(actual, i) === hasOwn(expected, i), name, description,
      "property ${i}, property expected to be ${expected} but was ${actual}",
      { i, expected: hasOwn(expected, i) ? "present" : "missing", actual: hasOwn(actual, i) ? "present" : "missing" });
    assert(typeof actual[i] === "number", name, description,
      "property ${i}, expected a number but got a ${type_actual}", { i, type_actual: typeof actual[i] });
    assert(Math.abs(actual[i] - expected[i]) <= epsilon, name, description,
      "property ${i}, expected ${expected} +/- ${epsilon}, expected ${expected} but got ${actual}",
      { i, expected: expected[i], actual: actual[i], epsilon });
  }
}

function assertNumber(name, actual, description) {
  assert(typeof actual === "number", name, description,
    "expected a number but got a ${type_actual}", { type_actual: typeof actual });
}

function assert_approx_equals(actual, expected, epsilon, description) {
  assertNumber("assert_approx_equals", actual, description);
  // Infinity and NaN only equal themselves; the epsilon arithmetic cannot say so.
  if (Number.isFinite(actual) || Number.isFinite(expected)) {
    assert(Math.abs(actual - expected) <= epsilon, "assert_approx_equals", description,
      "expected ${expected} +/- ${epsilon} but got ${actual}", { expected, actual, epsilon });
  } else {
    assert_equals(actual, expected);
  }
}

// The ordered comparisons: [name, holds(actual, a, b), message].
const comparisons = [
  ["assert_less_than", (x, e) => x < e, "expected a number less than ${expected} but got ${actual}"],
  ["assert_greater_than", (x, e) => x > e, "expected a number greater than ${expected} but got ${actual}"],
  ["assert_less_than_equal", (x, e) => x <= e,
    "expected a number less than or equal to ${expected} but got ${actual}"],
  ["assert_greater_than_equal", (x, e) => x >= e,
    "expected a number greater than or equal to ${expected} but got ${actual}"],
];
const compareAsserts = {};
for (const [name, holds, message] of comparisons) {
  compareAsserts[name] = function (actual, expected, description) {
    assertNumber(name, actual, description);
    assert(holds(actual, expected), name, description, message, { expected, actual });
  };
}

function assert_between_exclusive(actual, lower, upper, description) {
  assertNumber("assert_between_exclusive", actual, description);
  assert(actual > lower && actual < upper, "assert_between_exclusive", description,
    "expected a number greater than ${lower} and less than ${upper} but got ${actual}", { lower, upper, actual });
}

function assert_between_inclusive(actual, lower, upper, description) {
  assertNumber("assert_between_inclusive", actual, description);
  assert(actual >= lower && actual <= upper, "assert_between_inclusive", description,
    "expected a number greater than or equal to ${lower} and less than or equal to ${upper} but got ${actual}",
    { lower, upper, actual });
}

function assert_regexp_match(actual, expected, description) {
  assert(expected.test(actual), "assert_regexp_match", description,
    "expected ${expected} but got ${actual}", { expected, actual });
}

function assert_class_string(object, classString, description) {
  const actual = Object.prototype.toString.call(object);
  const expected = `[object ${classString}]`;
  assert(actual === expected, "assert_class_string", description,
    "expected ${expected} but got ${actual}", { expected, actual });
}

function assert_own_property(object, p, description) {
  assert(hasOwn(object, p), "assert_own_property", description, "expected property ${p} missing", { p });
}

function assert_not_own_property(object, p, description) {
  assert(!hasOwn(object, p), "assert_not_own_property", description,
    "unexpected property ${p} is found on object", { p });
}

function inheritsAssert(name) {
  return function (object, p, description) {
    assert((typeof object === "object" && object !== null) || typeof object === "function", name,
      description, "provided value is not an object");
    assert("hasOwnProperty" in object, name, description,
      "provided value is an object but has no hasOwnProperty method");
    assert(!hasOwn(object, p), name, description, "property ${p} found on object expected in prototype chain", { p });
    assert(p in object, name, description, "property ${p} not found in prototype chain", { p });
  };
}

function assert_readonly(object, p, description) {
  const initial = object[p];
  try {
    // Sloppy-mode semantics: a failed write is silent, so compare after.
    Reflect.set(object, p, `${initial}a`);
    assert(sameValue(object[p], initial), "assert_readonly", description, "changing property ${p} succeeded", { p });
  } finally {
    Reflect.set(object, p, initial);
  }
}

// Runs `func`; returns what it threw, or fails `name` if it did not throw.
// An AssertionError from inside `func` is the test's own failure: rethrown.
function thrownBy(func, name, description) {
  try {
    func.call(undefined);
  } catch (e) {
    if (e instanceof AssertionError) throw e;
    return e;
  }
  assert(false, name, description, "${func} did not throw", { func });
}

function checkObjectThrown(e, func, name, description) {
  assert(typeof e === "object", name, description,
    "${func} threw ${e} with type ${type}, not an object", { func, e, type: typeof e });
  assert(e !== null, name, description, "${func} threw null, not an object", { func });
}

function throwsJs(constructor, func, description, name) {
  const e = thrownBy(func, name, description);
  checkObjectThrown(e, func, name, description);
  assert(typeof constructor === "function", name, description,
    "${constructor} is not a constructor", { constructor });
  let proto = constructor;
  while (proto && !(typeof proto === "function" && proto.name === "Error")) proto = Object.getPrototypeOf(proto);
  assert(proto != null, name, description, "${constructor} is not an Error subtype", { constructor });
  assert(e.constructor === constructor && e.name === constructor.name, name, description,
    "${func} threw ${actual} (${actual_name}) expected instance of ${expected} (${expected_name})",
    { func, actual: e, actual_name: e.name, expected: constructor, expected_name: constructor.name });
}

// WebIDL §3.14.1 "Error names": the legacy code of each name (0: none), and
// the legacy constant names (INDEX_SIZE_ERR ...) of the named ones.
const codeOfName = {
  __proto__: null,
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
  InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
  InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20,
  URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24,
  DataCloneError: 25,
  EncodingError: 0, NotReadableError: 0, UnknownError: 0, ConstraintError: 0, DataError: 0,
  TransactionInactiveError: 0, ReadOnlyError: 0, VersionError: 0, OperationError: 0,
  NotAllowedError: 0, OptOutError: 0,
};
// Legacy code -> name, and legacy constant ("SYNTAX_ERR") -> name, from the
// constants 01_dom_exception.js put on DOMException (codes without a name,
// like VALIDATION_ERR, have no entry).
const nameOfCode = { __proto__: null };
for (const [name, code] of Object.entries(codeOfName)) {
  if (code !== 0) nameOfCode[code] = name;
}
const nameOfConstant = { __proto__: null };
for (const key of Object.getOwnPropertyNames(internals.DOMException)) {
  if (!key.endsWith("_ERR")) continue;
  const name = nameOfCode[internals.DOMException[key]];
  if (name !== undefined) nameOfConstant[key] = name;
}

// The current global's DOMException, set by install().
let currentDOMException = null;

// `type`: a name ("SyntaxError"), a legacy constant name ("SYNTAX_ERR") or a
// legacy code (12). The thrown value must have that name and code and be an
// instance of `constructor`.
function throwsDom(type, func, description, name, constructor) {
  const e = thrownBy(func, name, description);
  checkObjectThrown(e, func, name, description);
  assert(typeof type === "number" || typeof type === "string", name, description,
    "${type} is not a number or string", { type });
  let expectedName;
  if (typeof type === "number") {
    if (type === 0) throw new AssertionError("Test bug: ambiguous DOMException code 0 passed to assert_throws_dom()");
    expectedName = nameOfCode[type];
    if (expectedName === undefined) {
      throw new AssertionError(`Test bug: unrecognized DOMException code "${type}" passed to assert_throws_dom()`);
    }
  } else {
    expectedName = nameOfConstant[type] ?? type;
    if (!(expectedName in codeOfName)) {
      throw new AssertionError(
        `Test bug: unrecognized DOMException code name or name "${type}" passed to assert_throws_dom()`);
    }
  }
  for (const [prop, expected] of [["code", codeOfName[expectedName]], ["name", expectedName]]) {
    const actual = prop in e ? e[prop] : undefined;
    assert(actual === expected, name, description,
      `\${func} threw \${e} that is not a DOMException ${type}: property \${prop} is equal to \${actual}, expected \${expected}`,
      { func, e, prop, actual, expected });
  }
  // Last, so that the more telling property checks come first.
  assert(e instanceof constructor, name, description,
    internals.isDOMException?.(e) ? "${func} threw an exception from the wrong global"
      : `\${func} threw \${e} that is not a DOMException ${type}: not an instance of DOMException`,
    { func, e });
}

function throwsExactly(exception, func, description, name) {
  const e = thrownBy(func, name, description);
  assert(sameValue(e, exception), name, description,
    "${func} threw ${e} but we expected it to throw ${exception}", { func, e, exception });
}

function assert_throws_js(constructor, func, description) {
  throwsJs(constructor, func, description, "assert_throws_js");
}

// assert_throws_dom(type, func, description?) for this global's
// DOMException, or assert_throws_dom(type, DOMException, func, description?)
// for another one.
function assert_throws_dom(type, funcOrConstructor, descriptionOrFunc, maybeDescription) {
  if (typeof funcOrConstructor === "function" && funcOrConstructor.name === "DOMException") {
    throwsDom(type, descriptionOrFunc, maybeDescription, "assert_throws_dom", funcOrConstructor);
    return;
  }
  if (maybeDescription !== undefined) {
    throw new AssertionError("Too many args passed to no-constructor version of assert_throws_dom");
  }
  throwsDom(type, funcOrConstructor, descriptionOrFunc, "assert_throws_dom", currentDOMException);
}

function assert_throws_exactly(exception, func, description) {
  throwsExactly(exception, func, description, "assert_throws_exactly");
}

function assert_unreached(description) {
  assert(false, "assert_unreached", description, "Reached unreachable code");
}

function assert_implements(condition, description) {
  assert(!!condition, "assert_implements", description);
}

function assert_implements_optional(condition, description) {
  if (!condition) throw new OptionalFeatureUnsupportedError(description);
}

// Passes if `assert_func(actual, expected, ...args)` passes for any of
// `expected_array`; otherwise fails with every message.
function assert_any(assert_func, actual, expected_array, ...args) {
  const errors = [];
  for (const expected of expected_array) {
    try {
      assert_func(actual, expected, ...args);
      return;
    } catch (e) {
      errors.push(e.message);
    }
  }
  throw new AssertionError(errors.join("\n\n"));
}

// A copy of `promise` in this realm (testharness.js
// bring_promise_to_current_realm), then the matching assert on its reason.
function rejection(test, promise, description, check) {
  return new Promise(promise.then.bind(promise))
    .then(test.unreached_func(`Should have rejected: ${description}`))
    .catch((e) => check(() => { throw e; }));
}

function promise_rejects_js(test, constructor, promise, description) {
  return rejection(test, promise, description,
    (func) => throwsJs(constructor, func, description, "promise_rejects_js"));
}

function promise_rejects_dom(test, type, promiseOrConstructor, descriptionOrPromise, maybeDescription) {
  let constructor = currentDOMException;
  let promise = promiseOrConstructor;
  let description = descriptionOrPromise;
  if (typeof promiseOrConstructor === "function" && promiseOrConstructor.name === "DOMException") {
    [constructor, promise, description] = [promiseOrConstructor, descriptionOrPromise, maybeDescription];
  } else if (maybeDescription !== undefined) {
    throw new AssertionError("Too many args passed to no-constructor version of promise_rejects_dom");
  }
  return rejection(test, promise, description,
    (func) => throwsDom(type, func, description, "promise_rejects_dom", constructor));
}

function promise_rejects_exactly(test, exception, promise, description) {
  return rejection(test, promise, description,
    (func) => throwsExactly(exception, func, description, "promise_rejects_exactly"));
}

internals.testharnessAsserts = {
  AssertionError,
  OptionalFeatureUnsupportedError,
  assert,
  format_value,
  sanitizeSurrogates,
  withoutGlueFrames,
  setDOMException(constructor) { currentDOMException = constructor; },
  // Installed as globals under these names.
  globals: {
    AssertionError, OptionalFeatureUnsupportedError, format_value,
    assert_true, assert_false, assert_equals, assert_not_equals, assert_in_array,
    assert_object_equals, assert_array_equals, assert_array_approx_equals, assert_approx_equals,
    ...compareAsserts, assert_between_exclusive, assert_between_inclusive, assert_regexp_match,
    assert_class_string, assert_own_property, assert_not_own_property,
    assert_inherits: inheritsAssert("assert_inherits"), assert_idl_attribute: inheritsAssert("assert_idl_attribute"),
    assert_readonly, assert_throws_js, assert_throws_dom, assert_throws_exactly, assert_unreached,
    assert_implements, assert_implements_optional, assert_any,
    promise_rejects_js, promise_rejects_dom, promise_rejects_exactly,
  },
};
