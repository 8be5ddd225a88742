// The functions a test file calls (web-platform-tests testharness.js API):
// test, async_test, promise_test, setup, promise_setup, done, callbacks,
// EventWatcher, and the worker environment WPT's .any.js wrappers provide
// (`location`, `GLOBAL`). 10_testharness.js's install() calls
// `internals.testharnessApi.install(core, options)` and puts what it returns
// on the global.

// Set by install(): the harness and helpers of 10_testharness.js.
let harness, kit, timers, Test, testInternals, PromiseCtor, then, toPromise, isThenable, safeString, errorStack;
let nameCounter = 0;

// testharness.js default names: META_TITLE, else the file name up to its
// first dot, numbered from the second on.
function nextDefaultName() {
  let title = "Untitled";
  const meta = globalThis.META_TITLE;
  const path = globalThis.location?.pathname;
  if (typeof meta === "string" && meta !== "") {
    title = meta;
  } else if (typeof path === "string") {
    const file = path.substring(path.lastIndexOf("/") + 1);
    const stem = file.includes(".") ? file.substring(0, file.indexOf(".")) : file;
    if (stem !== "") title = stem;
  }
  const suffix = nameCounter > 0 ? ` ${nameCounter}` : "";
  nameCounter++;
  return title + suffix;
}

// A test's name: the given one, else the body of a one-line `() => expr`
// test function, else the default (testharness.js get_test_name).
function testName(func, name) {
  if (name) return name;
  if (typeof func === "function") {
    const source = safeString(Function.prototype.toString.call(func));
    const arrow = source.match(/^\(\)\s*=>\s*(?:{(.*)}\s*|(.*))$/);
    if (arrow !== null && !/[\n\r\u2028\u2029]/.test(source)) {
      const body = (arrow[1] ?? arrow[2]).trim().replace(/^([^;]*)(;\s*)+$/, "$1");
      if (body) return body;
    }
  }
  return nextDefaultName();
}

// testharness.js: a test function's return value is a misuse (a harness
// ERROR), with a hint when it is a promise.
function returnedValue(kind, name, value) {
  let message = `Test named "${name}" passed a function to \`${kind}\` that returned a value.`;
  try {
    if (isThenable(value)) message += " Consider using `promise_test` instead when using Promises or async/await.";
  } catch {
    // A throwing `then` getter: no hint.
  }
  harness.setStatus(harness.status.ERROR, message);
}

function afterPromiseSetup(kind) {
  if (!harness.promiseSetupCalled) return;
  harness.setStatus(harness.status.ERROR, `\`${kind}\` invoked after \`promise_setup\``);
  harness.complete();
}

function test(func, name, properties) {
  afterPromiseSetup("test");
  const t = new Test(testName(func, name), properties);
  const value = t.step(func, t, t);
  // testharness.js: the file is ERROR but goes on (async_test's ends it).
  if (value !== undefined) returnedValue("test", t.name, value);
  if (t.phase === t.phases.STARTED) t.done();
}

// async_test(func?, name?, properties?) or async_test(name, properties?).
function async_test(func, name, properties) {
  afterPromiseSetup("async_test");
  if (typeof func !== "function") {
    properties = name;
    name = func;
    func = null;
  }
  const t = new Test(testName(func, name), properties);
  if (func) {
    const value = t.step(func, t, t);
    if (value !== undefined) {
      returnedValue("async_test", t.name, value);
      harness.complete();
    }
  }
  return t;
}

// Promise tests run one after the other, in definition order: each starts
// once the previous one is COMPLETE (its cleanups included).
function promise_test(func, name, properties) {
  if (typeof func !== "function") {
    properties = name;
    name = func;
    func = null;
  }
  const t = new Test(testName(func, name), properties);
  testInternals.markPromiseTest(t);
  harness.promiseTests = then(harness.promiseTests ?? toPromise(undefined), () => new PromiseCtor((resolve) => {
    const promise = t.step(func, t, t);
    t.step(() => {
      kit.assert(!!promise, "promise_test", null,
        "test body must return a 'thenable' object (received ${value})", { value: promise });
      kit.assert(typeof promise.then === "function", "promise_test", null,
        "test body must return a 'thenable' object (received an object with no `then` method)");
    });
    // Registered before the promise settles: a step may fail the test first.
    testInternals.onDone(t, resolve);
    const rejected = t.step_func((value) => {
      if (value instanceof kit.AssertionError) throw value;
      kit.assert(false, "promise_test", null, "Unhandled rejection with value: ${value}", { value });
    });
    then(then(toPromise(promise), undefined, rejected), () => t.done());
  }));
}

function setup(funcOrProperties, maybeProperties) {
  let func = null;
  let properties = {};
  if (arguments.length === 2) {
    [func, properties] = [funcOrProperties, maybeProperties];
  } else if (typeof funcOrProperties === "function") {
    func = funcOrProperties;
  } else {
    properties = funcOrProperties;
  }
  harness.setup(func, properties);
}

// Runs `func` before any promise_test; its promise must fulfill, else the
// file is ERROR.
function promise_setup(func, properties = {}) {
  if (typeof func !== "function") {
    harness.setStatus(harness.status.ERROR, "promise_test invoked without a function");
    harness.complete();
    return;
  }
  harness.promiseSetupCalled = true;
  const queue = harness.promiseTests ?? toPromise(undefined);
  harness.promiseTests = then(then(queue, () => {
    harness.setup(null, properties);
    const result = func();
    if (!isThenable(result)) throw "Non-thenable returned by function passed to `promise_setup`";
    return result;
  }), undefined, (e) => {
    harness.setStatus(harness.status.ERROR, safeString(e), errorStack(e));
    harness.complete();
  });
}

// With setup({ explicit_done: true }): the file's tests are all defined.
function done() {
  harness.done();
}

function generate_tests(func, args, properties) {
  args.forEach((x, i) => {
    test(function () {
      Reflect.apply(func, this, x.slice(1));
    }, x[0], Array.isArray(properties) ? properties[i] : properties);
  });
}

function step_timeout(func, timeout, ...args) {
  const outer = this;
  return timers.setTimeout(() => Reflect.apply(func, outer, args), timeout);
}

function on_event(object, event, callback) {
  object.addEventListener(event, callback, false);
}

// hearth addition: a cleanup for the whole file, run when it completes,
// before the completion callbacks.
function add_cleanup(callback) {
  harness.fileCleanups.push(callback);
}

function add_result_callback(callback) {
  harness.resultCallbacks.push(callback);
}

function add_completion_callback(callback) {
  harness.completionCallbacks.push(callback);
}

// Promises for the events of `target`, in order (testharness.js): a watched
// event that arrives while nothing waits for it, or out of order, fails the
// test. `timeoutPromise()` (optional) is raced against each wait_for.
function EventWatcher(test, target, types, timeoutPromise) {
  const watched = typeof types === "string" ? [types] : types;
  let waitingFor = null;
  let recorded = null;
  const handler = test.step_func((event) => {
    kit.globals.assert_true(!!waitingFor, `Not expecting event, but got ${event.type} event`);
    kit.globals.assert_equals(event.type, waitingFor.types[0],
      `Expected ${waitingFor.types[0]} event, but got ${event.type} event instead`);
    if (recorded !== null) recorded.push(event);
    if (waitingFor.types.length > 1) {
      waitingFor.types.shift();
      return;
    }
    // Cleared first: the resolution may call wait_for again.
    const { resolve } = waitingFor;
    const result = recorded ?? event;
    waitingFor = null;
    recorded = null;
    resolve(result);
  });
  for (const type of watched) target.addEventListener(type, handler, false);

  this.wait_for = function (wanted, options) {
    if (waitingFor) return PromiseCtor.reject("Already waiting for an event or events");
    const list = typeof wanted === "string" ? [wanted] : [...wanted];
    if (options && options.record === "all") recorded = [];
    return new PromiseCtor((resolve, reject) => {
      const timedOut = test.step_func(() => {
        // Ignore a timeout after the events came or for an earlier wait_for.
        if (!waitingFor || waitingFor.resolve !== resolve) return;
        kit.globals.assert_true(waitingFor.types.length === 0,
          `Timed out waiting for ${waitingFor.types.join(", ")}`);
      });
      if (timeoutPromise) then(timeoutPromise(), timedOut);
      waitingFor = { types: list, resolve, reject };
    });
  };

  const stopWatching = () => {
    for (const type of watched) target.removeEventListener(type, handler, false);
  };
  this.stop_watching = stopWatching;
  test._add_cleanup(stopWatching);
}

// A read-only view of the test's URL (HTML WorkerLocation).
class WorkerLocation {
  #url;
  constructor(url) { this.#url = url; }
  get href() { return this.#url.href; }
  get origin() { return this.#url.origin; }
  get protocol() { return this.#url.protocol; }
  get host() { return this.#url.host; }
  get hostname() { return this.#url.hostname; }
  get port() { return this.#url.port; }
  get pathname() { return this.#url.pathname; }
  get search() { return this.#url.search; }
  get hash() { return this.#url.hash; }
  toString() { return this.#url.href; }
}
Reflect.defineProperty(WorkerLocation.prototype, Symbol.toStringTag, { value: "WorkerLocation", configurable: true });

// WPT's *.worker.js files start with importScripts("/resources/testharness.js");
// hearth's harness is already installed, so those URLs are no-ops. Any other
// script cannot be fetched here: say how to load it instead (a thrown
// NetworkError is what a worker reports for a script it cannot fetch).
const BUILT_IN_SCRIPTS = ["/resources/testharness.js", "/resources/testharnessreport.js"];
function importScripts(...urls) {
  for (const url of urls) {
    const path = new URL(`${url}`, "http://host/").pathname;
    if (BUILT_IN_SCRIPTS.includes(path)) continue;
    throw new DOMException(
      `importScripts(${JSON.stringify(`${url}`)}): hearth cannot fetch scripts; load it with // META: script=${url}`,
      "NetworkError");
  }
}

internals.testharnessApi = {
  install(core, options) {
    ({ harness, kit, timers, Test, testInternals, PromiseCtor, then, toPromise, isThenable, safeString, errorStack } =
      core);
    const globals = {
      test, async_test, promise_test, setup, promise_setup, done, add_cleanup, add_result_callback,
      add_completion_callback, step_timeout, generate_tests, on_event, EventWatcher, importScripts,
      // What WPT's .any.js wrappers define for a worker.
      GLOBAL: { isWindow: () => false, isWorker: () => true, isShadowRealm: () => false },
    };
    if (options.location !== undefined) globals.location = new WorkerLocation(new URL(options.location));
    return globals;
  },
};
