// hearth's testharness: the web-platform-tests testharness.js API
// (https://web-platform-tests.org/writing-tests/testharness-api.html) for a
// test file run by `hearth test`: subtests, their statuses and the file's
// (harness) status, reported to Rust once with `ops.testReport(json)` (the
// shape src/runtime/harness.rs reads).
//
// Three files, this one first: the subtests and the file's status (here),
// the assertions (11_testharness_asserts.js), the functions a test file
// calls to define tests (12_testharness_api.js).
//
// They only define. Rust calls, in a test file's fresh context:
//   install({ location })             before the test's scripts: the globals
//   loaded()                          after the last script ran
//   uncaught(error)                   an exception nobody caught
//   timeout()                         the file's timeout passed
// so ordinary workers never see `test`, `assert_equals`, ...

// Captured at load: a test may replace these.
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const jsonStringify = JSON.stringify;
const then = (promise, onFulfilled, onRejected) => Reflect.apply(promiseThen, promise, [onFulfilled, onRejected]);
const toPromise = (value) => new PromiseCtor((resolve) => resolve(value));
const isThenable = (v) => v !== null && (typeof v === "object" || typeof v === "function") &&
  typeof v.then === "function";

// testharness.js's numeric statuses (on test and status objects) and their
// names in the report.
const TEST_STATUSES = ["PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED"];
const [PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED] = [0, 1, 2, 3, 4];
const HARNESS_STATUSES = ["OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED"];
const [OK, ERROR, HARNESS_TIMEOUT, HARNESS_PRECONDITION_FAILED] = [0, 1, 2, 3];

// A test's phases: INITIAL (no step ran) -> STARTED -> HAS_RESULT (failed)
// -> CLEANING (cleanups running) -> COMPLETE (result final).
const phases = { INITIAL: 0, STARTED: 1, HAS_RESULT: 2, CLEANING: 3, COMPLETE: 4 };
const { INITIAL, STARTED, HAS_RESULT, CLEANING, COMPLETE } = phases;

// Set by install(): this context's harness, the assert kit of
// 11_testharness_asserts.js, the timers and the original reportError.
let harness = null;
let kit = null;
let timers = null;
let printError = null;

function safeString(value) {
  try {
    return String(value);
  } catch {
    return "[value could not be converted to a string]";
  }
}

// testharness.js: a step's exception becomes the test's message (its
// `message` if it is an object) and stack.
function errorMessage(e) {
  return safeString(typeof e === "object" && e !== null ? e.message : e);
}

function errorStack(e) {
  try {
    const stack = (typeof e === "object" || typeof e === "function") && e !== null ? e.stack : null;
    return stack ? kit.withoutGlueFrames(String(stack)) : null;
  } catch {
    return null;
  }
}

// Harness-only access to a test's private state.
let testInternals;

// One subtest (testharness.js `Test`).
class Test {
  #cleanups = [];
  #userCleanups = 0;
  #doneCallbacks = [];
  #isPromiseTest = false;

  constructor(name, properties) {
    this.name = name;
    this.properties = properties || {};
    this.status = NOTRUN;
    this.message = null;
    this.stack = null;
    this.index = null;
    // Tests declared after the harness aborted never run; after it completed,
    // or after an uncaught exception closed it, they are not reported at all.
    const closed = harness.closed || harness.phase === H_COMPLETE;
    this.phase = harness.aborted || closed ? COMPLETE : INITIAL;
    if (!closed) harness.push(this);
  }

  static {
    testInternals = {
      markPromiseTest(test) { test.#isPromiseTest = true; },
      cleanup(test, sync) { test.#cleanup(sync); },
      // Call `callback` once the test is COMPLETE (now if it is).
      onDone(test, callback) {
        if (test.phase === COMPLETE) callback();
        else test.#doneCallbacks.push(callback);
      },
    };
  }

  #setStatus(status, message, stack = null) {
    this.status = status;
    this.message = message;
    this.stack = stack;
  }

  // Runs `func` as a step: an exception fails the test (PRECONDITION_FAILED
  // for assert_implements_optional). `this` is the test unless given.
  step(func, thisObj, ...args) {
    if (this.phase > STARTED) return undefined;
    this.phase = STARTED;
    // A started test with no result when the harness ends timed out.
    this.#setStatus(TIMEOUT, "Test timed out");
    if (arguments.length === 1) thisObj = this;
    try {
      return Reflect.apply(func, thisObj, args);
    } catch (e) {
      if (this.phase >= HAS_RESULT) return undefined;
      const status = e instanceof kit.OptionalFeatureUnsupportedError ? PRECONDITION_FAILED : FAIL;
      this.#setStatus(status, errorMessage(e), errorStack(e));
      this.phase = HAS_RESULT;
      this.done();
      return undefined;
    }
  }

  step_func(func, thisObj) {
    const test = this;
    const onTest = arguments.length === 1;
    return function (...args) {
      return test.step(func, onTest ? test : thisObj, ...args);
    };
  }

  step_func_done(func, thisObj) {
    const test = this;
    const onTest = arguments.length === 1;
    return function (...args) {
      if (func) test.step(func, onTest ? test : thisObj, ...args);
      test.done();
    };
  }

  unreached_func(description) {
    return this.step_func(() => kit.globals.assert_unreached(description));
  }

  step_timeout(func, timeout, ...args) {
    return timers.setTimeout(this.step_func(() => Reflect.apply(func, this, args)), timeout);
  }

  // Polls `cond` every `interval` ms; calls `func` once it holds, fails the
  // test after `timeout` ms.
  step_wait_func(cond, func, description, timeout = 3000, interval = 100) {
    let remaining = Math.ceil(timeout / interval);
    const poll = this.step_func(() => {
      if (cond()) return func();
      if (remaining === 0) kit.assert(false, "step_wait_func", description, "Timed out waiting on condition");
      remaining--;
      timers.setTimeout(poll, interval);
      return undefined;
    });
    poll();
  }

  step_wait_func_done(cond, func, description, timeout = 3000, interval = 100) {
    this.step_wait_func(cond, () => {
      if (func) func();
      this.done();
    }, description, timeout, interval);
  }

  step_wait(cond, description, timeout = 3000, interval = 100) {
    return new PromiseCtor((resolve) => this.step_wait_func(cond, resolve, description, timeout, interval));
  }

  // Cleanups run once the result is known, in registration order; one that
  // throws makes the harness ERROR. testharness.js keeps harness-internal
  // ones (`_add_cleanup`) out of the count in that message.
  add_cleanup(callback) {
    this.#userCleanups++;
    this.#cleanups.push(callback);
  }

  _add_cleanup(callback) {
    this.#cleanups.push(callback);
  }

  timeout() {
    this.#setStatus(TIMEOUT, "Test timed out");
    this.phase = HAS_RESULT;
    this.done();
  }

  force_timeout() {
    this.timeout();
  }

  // PASS unless a step already failed; then the cleanups.
  done() {
    if (this.phase >= CLEANING) return;
    if (this.phase <= STARTED) this.#setStatus(PASS, null);
    this.#cleanup(false);
  }

  // A promise_test's cleanups may return promises, awaited before the test
  // is COMPLETE (and the next promise_test starts); `sync` (the file timed
  // out) does not wait.
  #cleanup(sync) {
    const errors = [];
    let badValues = 0;
    const waits = [];
    this.phase = CLEANING;
    for (const callback of this.#cleanups) {
      let result;
      try {
        result = callback();
      } catch (e) {
        errors.push(e);
        harness.abort();
        continue;
      }
      if (result === undefined) continue;
      if (this.#isPromiseTest && isThenable(result)) {
        waits.push(result);
      } else {
        badValues++;
        harness.abort();
      }
    }
    const finish = () => {
      if (this.phase === CLEANING) this.#cleanupDone(errors, badValues);
    };
    if (sync || waits.length === 0) return finish();
    let left = waits.length;
    for (const wait of waits) {
      const settled = () => { if (--left === 0) finish(); };
      then(toPromise(wait), settled, (e) => {
        errors.push(e);
        harness.abort();
        settled();
      });
    }
    return undefined;
  }

  #cleanupDone(errors, badValues) {
    if (errors.length > 0 || badValues > 0) {
      const total = this.#userCleanups;
      let message = `Test named '${this.name}' specified ${total} 'cleanup' function${total > 1 ? "s" : ""}`;
      if (errors.length > 0) message += `, and ${errors.length} failed`;
      if (badValues > 0) {
        message += `, and ${badValues} returned a ${this.#isPromiseTest ? "non-thenable" : "non-undefined"} value`;
      }
      harness.setStatus(ERROR, `${message}.`, errors.length > 0 ? errorStack(errors[0]) : null);
    }
    this.phase = COMPLETE;
    harness.result(this);
    const callbacks = this.#doneCallbacks;
    this.#doneCallbacks = [];
    for (const callback of callbacks) callback();
  }
}

Object.assign(Test.prototype, { PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED, phases });

// The file's status (testharness.js `TestsStatus`); `status` is null until
// the harness completes or something goes wrong.
class TestsStatus {
  constructor() {
    this.status = null;
    this.message = null;
    this.stack = null;
  }
}
Object.assign(TestsStatus.prototype, { OK, ERROR, TIMEOUT: HARNESS_TIMEOUT, PRECONDITION_FAILED: HARNESS_PRECONDITION_FAILED });

// The harness's phases (testharness.js `Tests`): it takes no more setup()
// once a test has a result, and reports once COMPLETE.
const H_INITIAL = 0;
const HAVE_RESULTS = 3;
const H_COMPLETE = 4;

class Harness {
  constructor() {
    this.tests = [];
    this.pending = 0;
    this.phase = H_INITIAL;
    this.status = new TestsStatus();
    this.loaded = false;
    this.waitForFinish = false;
    this.allowUncaught = false;
    this.aborted = false;
    this.closed = false;
    this.completing = false;
    this.processingCallbacks = false;
    this.promiseTests = null;
    this.promiseSetupCalled = false;
    this.resultCallbacks = [];
    this.completionCallbacks = [];
    this.fileCleanups = [];
  }

  // The first problem is the one reported.
  setStatus(status, message, stack = null) {
    if (this.status.status !== null) return;
    this.status.status = status;
    this.status.message = message;
    this.status.stack = stack;
  }

  push(test) {
    this.pending++;
    test.index = this.tests.push(test);
  }

  // A cleanup failed: nothing more may start (testharness.js `abort`).
  abort() {
    this.aborted = true;
    for (const test of this.tests) {
      if (test.phase === INITIAL) test.phase = COMPLETE;
    }
  }

  // A test became COMPLETE.
  result(test) {
    if (this.phase <= HAVE_RESULTS) this.phase = HAVE_RESULTS;
    this.pending--;
    this.processingCallbacks = true;
    let failure = null;
    for (const callback of this.resultCallbacks) {
      try {
        callback(test);
      } catch (e) {
        failure ??= { e };
      }
    }
    this.processingCallbacks = false;
    if (failure !== null) this.uncaught(failure.e);
    if (this.allDone()) this.complete();
  }

  // testharness.js `all_done`, with "loaded" meaning Rust ran every script
  // (a file without tests never gets here: see done()).
  allDone() {
    return this.loaded && (this.pending === 0 || this.aborted) && !this.waitForFinish &&
      !this.processingCallbacks;
  }

  // Ignored once a test has a result, and after an uncaught exception (the
  // rest of the script would not have run).
  setup(func, properties) {
    if (this.phase >= HAVE_RESULTS || this.closed) return;
    for (const [key, value] of Object.entries(properties ?? {})) {
      if (key === "allow_uncaught_exception") this.allowUncaught = !!value;
      else if (key === "explicit_done" && value) this.waitForFinish = true;
      // timeout_multiplier / explicit_timeout: the file's timeout is Rust's.
    }
    if (func) {
      try {
        func();
      } catch (e) {
        const optional = e instanceof kit.OptionalFeatureUnsupportedError;
        this.setStatus(optional ? HARNESS_PRECONDITION_FAILED : ERROR, safeString(e), errorStack(e));
        this.complete();
      }
    }
  }

  // testharness.js `done()`: the file's tests are all defined. Without any,
  // the file is an ERROR (unless something went wrong already) and ends;
  // else it ends once they are all done (and the scripts have run).
  done() {
    if (this.tests.length === 0) {
      this.setStatus(ERROR, "done() was called without first defining any tests");
      this.complete();
      return;
    }
    this.waitForFinish = false;
    if (this.allDone()) this.complete();
  }

  // An exception outside any step: the file is ERROR (PRECONDITION_FAILED for
  // assert_implements_optional), then as done() (testharness.js): the tests
  // defined so far run to their end (or the file's timeout), no new test is
  // taken (in a WPT worker the rest of the script would not run). With
  // allow_uncaught_exception it is ignored.
  uncaught(error) {
    if (this.phase === H_COMPLETE) {
      // The report is final; still show the exception.
      printError(error);
      return;
    }
    if (this.allowUncaught) return;
    const optional = error instanceof kit.OptionalFeatureUnsupportedError;
    let message = safeString(error);
    let stack = errorStack(error);
    // Rust passes what it caught as text, "Uncaught Error: x\n    at f.js:1:7":
    // the frames are the stack.
    const frames = typeof error === "string" ? error.search(/\n {4}at /) : -1;
    if (frames !== -1) [message, stack] = [error.substring(0, frames), error.substring(frames + 1)];
    this.setStatus(optional ? HARNESS_PRECONDITION_FAILED : ERROR, message, stack);
    this.closed = true;
    this.done();
  }

  // Ends the file: tests that never started stay NOTRUN, started ones keep
  // their status (TIMEOUT if they had no result) after their cleanups.
  complete() {
    if (this.phase === H_COMPLETE || this.completing) return;
    this.completing = true;
    const incomplete = this.tests.filter((test) => test.phase < COMPLETE);
    let left = incomplete.length;
    if (left === 0) return this.finish();
    for (const test of incomplete) {
      const one = () => { if (--left === 0) this.finish(); };
      if (test.phase === INITIAL) {
        test.phase = COMPLETE;
        one();
      } else {
        testInternals.onDone(test, one);
        if (test.phase < CLEANING) testInternals.cleanup(test, false);
      }
    }
    return undefined;
  }

  // The file's timeout: started tests without a result are TIMEOUT, the
  // rest NOTRUN; cleanups run without being awaited; then the report.
  timeout() {
    if (this.phase === H_COMPLETE) return;
    const cleaning = this.tests.find((test) => test.phase === CLEANING);
    if (cleaning) {
      this.setStatus(ERROR, `Timeout while running cleanup for test named "${cleaning.name}".`);
    } else {
      this.setStatus(HARNESS_TIMEOUT, null);
    }
    this.completing = true;
    for (const test of this.tests) {
      if (test.phase === STARTED || test.phase === HAS_RESULT) testInternals.cleanup(test, true);
      test.phase = COMPLETE;
    }
    this.finish();
  }

  finish() {
    if (this.phase === H_COMPLETE) return;
    this.phase = H_COMPLETE;
    // Nothing runs after the report (tests defined while completing included).
    for (const test of this.tests) test.phase = COMPLETE;
    for (const cleanup of this.fileCleanups) {
      try {
        cleanup();
      } catch (e) {
        this.setStatus(ERROR, `A file cleanup function failed: ${safeString(e)}`, errorStack(e));
      }
    }
    // testharness.js: test names identify subtests, so duplicates are an error.
    const seen = new Set();
    const duplicates = new Set();
    for (const test of this.tests) (seen.has(test.name) ? duplicates : seen).add(test.name);
    if (duplicates.size > 0) {
      const names = [...duplicates];
      this.setStatus(ERROR, `${names.length} duplicate test name${names.length > 1 ? "s" : ""}: "${names.join('", "')}"`);
    }
    this.setStatus(OK, null);
    for (const callback of this.completionCallbacks) {
      try {
        callback(this.tests, this.status, []);
      } catch (e) {
        printError(e);
      }
    }
    ops.testReport(jsonStringify(this.report()));
  }

  report() {
    const text = (value) => (value === null || value === undefined ? null : kit.sanitizeSurrogates(safeString(value)));
    return {
      status: HARNESS_STATUSES[this.status.status],
      message: text(this.status.message),
      stack: text(this.status.stack),
      tests: this.tests.map((test) => ({
        name: text(test.name) ?? "",
        status: TEST_STATUSES[test.status] ?? "FAIL",
        message: text(test.message),
        stack: text(test.stack),
      })),
    };
  }
}

// Like 99_bootstrap's defineGlobal: writable, non-enumerable, configurable.
function defineGlobal(name, value) {
  Reflect.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
}

function install(options = {}) {
  if (harness !== null) throw new Error("the testharness is already installed");
  kit = internals.testharnessAsserts;
  kit.setDOMException(globalThis.DOMException);
  timers = { setTimeout: globalThis.setTimeout };
  harness = new Harness();
  // The glue reports exceptions in listeners and timers here (02_event.js,
  // 05_timers.js): in a test file they are the harness's to judge.
  const reportError = ops.reportError;
  printError = (e) => reportError(e);
  ops.reportError = (e) => harness.uncaught(e);
  const api = internals.testharnessApi.install({
    harness, kit, timers, testInternals, Test, PromiseCtor, then, toPromise, isThenable, safeString, errorStack,
  }, options);
  for (const [name, value] of Object.entries({ ...kit.globals, ...api })) defineGlobal(name, value);
}

internals.testharness = {
  install,
  // WPT's worker wrapper calls done() after the test's scripts; with
  // explicit_done the file's own done() ends the wait instead.
  loaded() {
    harness.loaded = true;
    if (harness.phase === H_COMPLETE || harness.completing) return;
    if (!harness.waitForFinish) harness.done();
  },
  uncaught(error) { harness.uncaught(error); },
  timeout() { harness.timeout(); },
};
