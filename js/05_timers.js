// Timers (HTML §8.6 "Timers") and queueMicrotask (HTML §8.7).
//
// Rust owns the clock: `ops.timerStart(id, ms)` arms a one-shot timer and later
// calls `internals.fireTimer(id)` as its own task. Intervals are re-armed here.

// Captured at load so user code replacing Promise.prototype.then cannot
// interfere with queueMicrotask.
const promiseThen = Promise.prototype.then;
const resolvedPromise = Promise.resolve();

// id -> { callback, args, repeat, timeout, nesting }
const timers = new Map();
let nextId = 1;
// Timer nesting level of the currently running timer task (0 outside one).
let currentNesting = 0;

// WebIDL `long` (ToInt32) then HTML's "if timeout < 0, set it to 0".
function normalizeTimeout(timeout) {
  const n = Number(timeout) | 0;
  return n < 0 ? 0 : n;
}

// HTML §8.6 "timer initialization steps".
function initTimer(id, entry) {
  let timeout = entry.timeout;
  const nesting = currentNesting;
  // "If nesting level is greater than 5, and timeout is less than 4, then set
  // timeout to 4."
  if (nesting > 5 && timeout < 4) timeout = 4;
  entry.nesting = nesting + 1;
  timers.set(id, entry);
  ops.timerStart(id, timeout);
}

function makeTimer(handler, timeout, args, repeat, what) {
  if (typeof handler !== "function") {
    // Browsers would compile a string handler; Workers (no eval) reject it.
    throw new TypeError(`Failed to execute '${what}': parameter 1 is not of type 'Function'.`);
  }
  const id = nextId++;
  initTimer(id, { callback: handler, args, repeat, timeout: normalizeTimeout(timeout), nesting: 0 });
  return id;
}

function setTimeout(handler, timeout = 0, ...args) {
  return makeTimer(handler, timeout, args, false, "setTimeout");
}

function setInterval(handler, timeout = 0, ...args) {
  return makeTimer(handler, timeout, args, true, "setInterval");
}

// clearTimeout and clearInterval share one id map (HTML §8.6).
function clearTimer(id = 0) {
  const n = Number(id) | 0;
  if (timers.delete(n)) ops.timerCancel(n);
}

function clearTimeout(id = 0) { clearTimer(id); }
function clearInterval(id = 0) { clearTimer(id); }

// Called by Rust as its own task when timer `id` expires.
function fireTimer(id) {
  const entry = timers.get(id);
  // Cleared after it was queued: nothing to do.
  if (entry === undefined) return;
  const previous = currentNesting;
  currentNesting = entry.nesting;
  try {
    try {
      Reflect.apply(entry.callback, undefined, entry.args);
    } catch (e) {
      ops.reportError(e);
    }
    // The callback may have cleared its own id.
    if (timers.get(id) !== entry) return;
    if (entry.repeat) {
      initTimer(id, entry);
    } else {
      timers.delete(id);
    }
  } finally {
    currentNesting = previous;
  }
}

// For glue code (AbortSignal.timeout): a one-shot timer in the same id space.
function setInternalTimer(callback, ms) {
  const id = nextId++;
  initTimer(id, { callback, args: [], repeat: false, timeout: normalizeTimeout(ms), nesting: 0 });
  return id;
}

function queueMicrotask(callback) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'queueMicrotask': 1 argument required, but only 0 present.");
  }
  if (typeof callback !== "function") {
    throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
  }
  // A promise reaction is a V8 microtask; the catch makes an exception get
  // reported (HTML §8.7) instead of becoming an unhandled rejection.
  Reflect.apply(promiseThen, resolvedPromise, [() => {
    try {
      callback();
    } catch (e) {
      ops.reportError(e);
    }
  }]);
}

function reportError(e) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'reportError': 1 argument required, but only 0 present.");
  }
  ops.reportError(e);
}

internals.setTimeout = setTimeout;
internals.setInterval = setInterval;
internals.clearTimeout = clearTimeout;
internals.clearInterval = clearInterval;
internals.fireTimer = fireTimer;
internals.setInternalTimer = setInternalTimer;
internals.queueMicrotask = queueMicrotask;
internals.reportError = reportError;
