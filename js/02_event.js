// Event, EventTarget (DOM §2), the event subclasses hearth needs (HTML §9.3.3
// MessageEvent, §8.1.7.1 ErrorEvent, WebSockets CloseEvent), event handler
// IDL attributes (HTML §8.1.8.1) and AbortController/AbortSignal (DOM §3).
//
// There is no node tree, so every dispatch path is just [target].

const { DOMException, toDictionary } = internals;

const NONE = 0;
const CAPTURING_PHASE = 1;
const AT_TARGET = 2;
const BUBBLING_PHASE = 3;

// Functions that reach into Event's private state; assigned in a static block
// so only glue code (via `internals`) can use them.
let eventInternals;

class Event {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #canceled = false;
  #stopPropagation = false;
  #stopImmediate = false;
  #inPassiveListener = false;
  #isTrusted = false;
  #dispatching = false;
  #target = null;
  #currentTarget = null;
  #phase = NONE;
  #timeStamp = Date.now();

  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
    }
    const init = toDictionary(eventInitDict, "EventInit");
    this.#type = `${type}`;
    this.#bubbles = !!init.bubbles;
    this.#cancelable = !!init.cancelable;
    this.#composed = !!init.composed;
  }

  static {
    eventInternals = {
      check(e) {
        if (!(e !== null && typeof e === "object" && #type in e)) {
          throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
        }
      },
      begin(e, target, trusted) {
        // DOM §2.9 "dispatch": initialized flag is always set here since we
        // have no initEvent-created events; only the dispatch flag matters.
        if (e.#dispatching) {
          throw new DOMException("The event is already being dispatched.", "InvalidStateError");
        }
        e.#dispatching = true;
        e.#isTrusted = trusted;
        e.#target = target;
      },
      setPhase(e, phase, currentTarget) {
        e.#phase = phase;
        e.#currentTarget = currentTarget;
      },
      stopped(e) { return e.#stopPropagation; },
      stoppedImmediately(e) { return e.#stopImmediate; },
      setPassive(e, passive) { e.#inPassiveListener = passive; },
      end(e) {
        e.#phase = NONE;
        e.#currentTarget = null;
        e.#dispatching = false;
        e.#stopPropagation = false;
        e.#stopImmediate = false;
        return !e.#canceled;
      },
    };
  }

  static #check(o) {
    if (!(#type in o)) throw internals.illegalInvocation();
  }

  get type() { Event.#check(this); return this.#type; }
  get target() { Event.#check(this); return this.#target; }
  // Legacy alias (DOM §2.2).
  get srcElement() { Event.#check(this); return this.#target; }
  get currentTarget() { Event.#check(this); return this.#currentTarget; }
  composedPath() {
    Event.#check(this);
    return this.#dispatching && this.#target !== null ? [this.#target] : [];
  }
  get eventPhase() { Event.#check(this); return this.#phase; }
  stopPropagation() { Event.#check(this); this.#stopPropagation = true; }
  get cancelBubble() { Event.#check(this); return this.#stopPropagation; }
  set cancelBubble(value) { Event.#check(this); if (value) this.#stopPropagation = true; }
  stopImmediatePropagation() {
    Event.#check(this);
    this.#stopPropagation = true;
    this.#stopImmediate = true;
  }
  get bubbles() { Event.#check(this); return this.#bubbles; }
  get cancelable() { Event.#check(this); return this.#cancelable; }
  // DOM §2.2 "set the canceled flag": ignored in passive listeners.
  #setCanceled() {
    if (this.#cancelable && !this.#inPassiveListener) this.#canceled = true;
  }
  get returnValue() { Event.#check(this); return !this.#canceled; }
  set returnValue(value) { Event.#check(this); if (!value) this.#setCanceled(); }
  preventDefault() { Event.#check(this); this.#setCanceled(); }
  get defaultPrevented() { Event.#check(this); return this.#canceled; }
  get composed() { Event.#check(this); return this.#composed; }
  get isTrusted() { Event.#check(this); return this.#isTrusted; }
  get timeStamp() { Event.#check(this); return this.#timeStamp; }
}

for (const [name, value] of [["NONE", NONE], ["CAPTURING_PHASE", CAPTURING_PHASE],
  ["AT_TARGET", AT_TARGET], ["BUBBLING_PHASE", BUBBLING_PHASE]]) {
  const desc = { value, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(Event, name, desc);
  Object.defineProperty(Event.prototype, name, desc);
}

// Listener lists live in a WeakMap rather than a private field so that
// `EventTarget.prototype.addEventListener.call(obj)` on any EventTarget
// subclass instance works and non-EventTargets are rejected.
const listenerMap = new WeakMap();

function listenersOf(target) {
  const map = listenerMap.get(target);
  if (map === undefined) throw internals.illegalInvocation();
  return map;
}

// DOM §2.7 "flatten more options".
function flattenOptions(options) {
  if (typeof options === "boolean") return { capture: options, once: false, passive: false, signal: null };
  if (options === null || (typeof options !== "object" && typeof options !== "function")) {
    return { capture: !!options, once: false, passive: false, signal: null };
  }
  const capture = !!options.capture;
  const once = !!options.once;
  const passive = !!options.passive;
  let signal = options.signal;
  if (signal === undefined) signal = null;
  else if (!isAbortSignal(signal)) {
    throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type 'AbortSignal'.");
  }
  return { capture, once, passive, signal };
}

function addListener(target, type, callback, options) {
  const map = listenersOf(target);
  const { capture, once, passive, signal } = flattenOptions(options);
  if (callback === null || callback === undefined) return;
  if (typeof callback !== "function" && typeof callback !== "object") {
    throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': The callback provided as parameter 2 is not an object.");
  }
  if (signal !== null && signal.aborted) return;
  let list = map.get(type);
  if (list === undefined) map.set(type, (list = []));
  for (const l of list) {
    if (l.callback === callback && l.capture === capture) return;
  }
  const listener = { callback, capture, once, passive, removed: false };
  list.push(listener);
  if (signal !== null) {
    abortAlgorithms(signal).push(() => removeListener(target, type, listener));
  }
}

function removeListener(target, type, listener) {
  const list = listenersOf(target).get(type);
  if (list === undefined) return;
  const i = list.indexOf(listener);
  if (i !== -1) {
    list.splice(i, 1);
    listener.removed = true;
  }
}

// DOM §2.10 "inner invoke" for one phase at the (only) target.
function invoke(target, event, phase) {
  if (eventInternals.stopped(event)) return;
  const list = listenerMap.get(target).get(event.type);
  if (list === undefined) return;
  // Listeners added during dispatch do not run; removed ones are skipped
  // through the `removed` flag (DOM §2.10, "clone of the listener list").
  for (const listener of list.slice()) {
    if (listener.removed) continue;
    if (phase === CAPTURING_PHASE && !listener.capture) continue;
    if (phase === BUBBLING_PHASE && listener.capture) continue;
    if (listener.once) removeListener(target, event.type, listener);
    eventInternals.setPassive(event, listener.passive);
    try {
      const cb = listener.callback;
      if (typeof cb === "function") {
        Reflect.apply(cb, target, [event]);
      } else {
        const handleEvent = cb.handleEvent;
        if (typeof handleEvent !== "function") {
          throw new TypeError("The 'handleEvent' property of the event listener is not callable.");
        }
        Reflect.apply(handleEvent, cb, [event]);
      }
    } catch (e) {
      // DOM §2.10 step 10: report the exception, keep dispatching.
      ops.reportError(e);
    }
    eventInternals.setPassive(event, false);
    if (eventInternals.stoppedImmediately(event)) return;
  }
}

function dispatch(target, event, trusted) {
  eventInternals.check(event);
  eventInternals.begin(event, target, trusted);
  try {
    // At the target, capture listeners run before non-capture ones, both
    // with eventPhase AT_TARGET (DOM §2.9 steps 13-14).
    eventInternals.setPhase(event, AT_TARGET, target);
    invoke(target, event, CAPTURING_PHASE);
    invoke(target, event, BUBBLING_PHASE);
  } finally {
    // eslint-disable-next-line no-unsafe-finally
    return eventInternals.end(event);
  }
}

class EventTarget {
  constructor() {
    listenerMap.set(this, new Map());
  }

  addEventListener(type, callback, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError(`Failed to execute 'addEventListener' on 'EventTarget': 2 arguments required, but only ${arguments.length} present.`);
    }
    addListener(this, `${type}`, callback, options);
  }

  removeEventListener(type, callback, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError(`Failed to execute 'removeEventListener' on 'EventTarget': 2 arguments required, but only ${arguments.length} present.`);
    }
    const map = listenersOf(this);
    const capture = typeof options === "boolean" ? options
      : (options !== null && typeof options === "object") ? !!options.capture : !!options;
    const list = map.get(`${type}`);
    if (list === undefined) return;
    const listener = list.find((l) => l.callback === callback && l.capture === capture);
    if (listener !== undefined) removeListener(this, `${type}`, listener);
  }

  dispatchEvent(event) {
    listenersOf(this);
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': 1 argument required, but only 0 present.");
    }
    return dispatch(this, event, false);
  }
}

// HTML §8.1.8.1 event handler IDL attributes. The handler's listener is added
// when first set to non-null and keeps its position when the value changes;
// setting null removes it.
const handlerMap = new WeakMap();

function defineEventHandler(prototype, attrName) {
  const type = attrName.slice(2);
  Object.defineProperty(prototype, attrName, {
    enumerable: true,
    configurable: true,
    get() {
      listenersOf(this);
      const h = handlerMap.get(this)?.get(type);
      return h === undefined ? null : h.value;
    },
    set(value) {
      listenersOf(this);
      let handlers = handlerMap.get(this);
      if (handlers === undefined) handlerMap.set(this, (handlers = new Map()));
      // [LegacyTreatNonObjectAsNull]: non-objects become null.
      if (value === null || (typeof value !== "object" && typeof value !== "function")) {
        const h = handlers.get(type);
        if (h !== undefined) {
          removeListener(this, type, h.listener);
          handlers.delete(type);
        }
        return;
      }
      const existing = handlers.get(type);
      if (existing !== undefined) {
        existing.value = value;
        return;
      }
      const h = { value, listener: null };
      // HTML §8.1.8.2 "event handler processing algorithm".
      const callback = function (event) {
        const fn = h.value;
        if (typeof fn !== "function") return;
        const ret = Reflect.apply(fn, this, [event]);
        if (ret === false) event.preventDefault();
      };
      addListener(this, type, callback, false);
      h.listener = listenerMap.get(this).get(type).at(-1);
      handlers.set(type, h);
    },
  });
}

class CloseEvent extends Event {
  #wasClean; #code; #reason;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'CloseEvent': 1 argument required, but only 0 present.");
    }
    super(type, eventInitDict);
    const init = toDictionary(eventInitDict, "CloseEventInit");
    this.#wasClean = !!init.wasClean;
    // `unsigned short code = 0` (WebIDL ToUint16 conversion).
    this.#code = init.code === undefined ? 0 : (Number(init.code) & 0xffff) >>> 0;
    this.#reason = init.reason === undefined ? "" : internals.toUSVString(init.reason);
  }
  get wasClean() { if (!(#code in this)) throw internals.illegalInvocation(); return this.#wasClean; }
  get code() { if (!(#code in this)) throw internals.illegalInvocation(); return this.#code; }
  get reason() { if (!(#code in this)) throw internals.illegalInvocation(); return this.#reason; }
}

class MessageEvent extends Event {
  #data; #origin; #lastEventId; #source; #ports;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'MessageEvent': 1 argument required, but only 0 present.");
    }
    super(type, eventInitDict);
    const init = toDictionary(eventInitDict, "MessageEventInit");
    this.#data = init.data === undefined ? null : init.data;
    this.#origin = init.origin === undefined ? "" : internals.toUSVString(init.origin);
    this.#lastEventId = init.lastEventId === undefined ? "" : `${init.lastEventId}`;
    this.#source = init.source === undefined ? null : init.source;
    // `sequence<MessagePort> ports = []`, exposed as a frozen array.
    this.#ports = Object.freeze(init.ports === undefined ? [] : Array.from(init.ports));
  }
  get data() { if (!(#data in this)) throw internals.illegalInvocation(); return this.#data; }
  get origin() { if (!(#data in this)) throw internals.illegalInvocation(); return this.#origin; }
  get lastEventId() { if (!(#data in this)) throw internals.illegalInvocation(); return this.#lastEventId; }
  get source() { if (!(#data in this)) throw internals.illegalInvocation(); return this.#source; }
  get ports() { if (!(#data in this)) throw internals.illegalInvocation(); return this.#ports; }
}

class ErrorEvent extends Event {
  #message; #filename; #lineno; #colno; #error;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'ErrorEvent': 1 argument required, but only 0 present.");
    }
    super(type, eventInitDict);
    const init = toDictionary(eventInitDict, "ErrorEventInit");
    this.#message = init.message === undefined ? "" : `${init.message}`;
    this.#filename = init.filename === undefined ? "" : internals.toUSVString(init.filename);
    this.#lineno = init.lineno === undefined ? 0 : Number(init.lineno) >>> 0;
    this.#colno = init.colno === undefined ? 0 : Number(init.colno) >>> 0;
    this.#error = init.error;
  }
  get message() { if (!(#message in this)) throw internals.illegalInvocation(); return this.#message; }
  get filename() { if (!(#message in this)) throw internals.illegalInvocation(); return this.#filename; }
  get lineno() { if (!(#message in this)) throw internals.illegalInvocation(); return this.#lineno; }
  get colno() { if (!(#message in this)) throw internals.illegalInvocation(); return this.#colno; }
  get error() { if (!(#message in this)) throw internals.illegalInvocation(); return this.#error; }
}

// ---- AbortController / AbortSignal (DOM §3.1, §3.2) ----

const kCreate = Symbol("create");
let signalInternals;

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #algorithms = [];

  constructor(key = undefined) {
    if (key !== kCreate) throw new TypeError("Illegal constructor");
    super();
  }

  static {
    signalInternals = {
      is: (v) => v !== null && typeof v === "object" && #aborted in v,
      algorithms: (s) => s.#algorithms,
      // DOM §3.2 "signal abort".
      abort(s, reason) {
        if (s.#aborted) return;
        s.#aborted = true;
        s.#reason = reason === undefined
          ? new DOMException("signal is aborted without reason", "AbortError") : reason;
        const algorithms = s.#algorithms;
        s.#algorithms = [];
        for (const fn of algorithms) {
          try { fn(); } catch (e) { ops.reportError(e); }
        }
        dispatch(s, new Event("abort"), true);
      },
    };
  }

  get aborted() { if (!(#aborted in this)) throw internals.illegalInvocation(); return this.#aborted; }
  get reason() { if (!(#aborted in this)) throw internals.illegalInvocation(); return this.#reason; }
  throwIfAborted() {
    if (!(#aborted in this)) throw internals.illegalInvocation();
    if (this.#aborted) throw this.#reason;
  }

  static abort(reason = undefined) {
    const s = new AbortSignal(kCreate);
    signalInternals.abort(s, reason);
    return s;
  }

  static timeout(milliseconds) {
    // `[EnforceRange] unsigned long long milliseconds`.
    const ms = Number(milliseconds);
    if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
      throw new TypeError(`AbortSignal.timeout: milliseconds is outside the accepted range.`);
    }
    const s = new AbortSignal(kCreate);
    internals.setInternalTimer(() => {
      signalInternals.abort(s, new DOMException("signal timed out", "TimeoutError"));
    }, Math.trunc(ms));
    return s;
  }

  static any(signals) {
    const list = Array.from(signals);
    for (const sig of list) {
      if (!signalInternals.is(sig)) throw new TypeError("AbortSignal.any: every member must be an AbortSignal.");
    }
    const s = new AbortSignal(kCreate);
    const already = list.find((sig) => sig.aborted);
    if (already !== undefined) {
      signalInternals.abort(s, already.reason);
      return s;
    }
    for (const sig of list) {
      signalInternals.algorithms(sig).push(() => signalInternals.abort(s, sig.reason));
    }
    return s;
  }
}
defineEventHandler(AbortSignal.prototype, "onabort");

class AbortController {
  #signal = new AbortSignal(kCreate);
  get signal() { if (!(#signal in this)) throw internals.illegalInvocation(); return this.#signal; }
  abort(reason = undefined) {
    if (!(#signal in this)) throw internals.illegalInvocation();
    signalInternals.abort(this.#signal, reason);
  }
}

function isAbortSignal(v) { return signalInternals.is(v); }
function abortAlgorithms(s) { return signalInternals.algorithms(s); }

internals.Event = Event;
internals.EventTarget = EventTarget;
internals.CloseEvent = CloseEvent;
internals.MessageEvent = MessageEvent;
internals.ErrorEvent = ErrorEvent;
internals.AbortController = AbortController;
internals.AbortSignal = AbortSignal;
internals.defineEventHandler = defineEventHandler;
// Dispatches with isTrusted = true; for events that hearth itself fires.
internals.dispatchTrusted = (target, event) => dispatch(target, event, true);
internals.isAbortSignal = isAbortSignal;
internals.abortSignal = (s, reason) => signalInternals.abort(s, reason);
