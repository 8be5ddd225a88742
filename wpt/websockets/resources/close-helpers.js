// Shared by the close-contract tests (shared/spec/websocket-close.md, "the
// contract" below): its exact messages, accepted WebSocketPair ends, and a
// recorder of the events several sockets get, in dispatch order.

// ---- The contract's exact messages ----

// Contract § "close() argument validation".
const INVALID_CODE_MESSAGE = (code) => `Invalid WebSocket close code: ${code}.`;
const REASON_WITHOUT_CODE_MESSAGE =
  "If you specify a WebSocket close reason, you must also specify a code.";
const REASON_TOO_LONG_MESSAGE =
  "WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.";
// Contract § "close() argument validation" (after the socket's own close())
// and § "Behaviour" (send() in the close handler, auto mode).
const SEND_AFTER_CLOSE_MESSAGE = "Can't call WebSocket send() after close().";
// Contract § "Behaviour": the peer drops TCP without a Close frame.
const DISCONNECTED_REASON = "WebSocket disconnected without sending Close frame.";

// A reason of 124 bytes in UTF-8 (62 two-byte characters), one byte too long
// for RFC 6455 §5.5 (125-byte control payload, 2 of them the code).
const REASON_124_BYTES = "\u00e9".repeat(62);

// ---- Exceptions with their exact message ----

// `assert_throws(...args, func)` (assert_throws_dom or assert_throws_js),
// then the exception's message.
function assert_thrown_message(assert_throws, expected, func, message, description) {
  let thrown;
  assert_throws(expected, () => {
    try {
      func();
    } catch (e) {
      thrown = e;
      throw e;
    }
  }, description);
  assert_equals(thrown.message, message, `${description ?? ""} (message)`);
}

// assert_throws_dom(name, func), then the exception's message.
function assert_throws_dom_message(name, func, message, description) {
  assert_thrown_message(assert_throws_dom, name, func, message, description);
}

// assert_throws_js(constructor, func), then the exception's message.
function assert_throws_js_message(constructor, func, message, description) {
  assert_thrown_message(assert_throws_js, constructor, func, message, description);
}

// ---- WebSocketPair ----

// Both ends of a new pair, both accepted with `options`.
function acceptedPair(options = undefined) {
  const [a, b] = Object.values(new WebSocketPair());
  a.accept(options);
  b.accept(options);
  return [a, b];
}

// ---- Recording events ----

// Records every open, message, error and close event of the named sockets
// (`{ a, b }`), in dispatch order, as arrays:
//   [name, "close", code, reason, wasClean, readyState]
//   [name, "message", data, readyState]   (binary data as "binary:1,2,3")
//   [name, "open" | "error", readyState]
// where readyState is what the socket reports inside its own handler. A
// socket's readyState is only read inside its own handlers: the other end of
// a pair may already have taken the next event off its queue (contract §
// "In-process WebSocketPair": events are tasks, one per event).
// mark(...) adds an entry of the test's own (e.g. readyStates read right
// after a call, where nothing can have moved).
class EventRecorder {
  constructor(t, sockets) {
    this.log = [];
    this._waiters = [];
    for (const [name, ws] of Object.entries(sockets)) {
      for (const type of ["open", "message", "error", "close"]) {
        ws.addEventListener(type, t.step_func((event) => {
          this._push(EventRecorder.describe(name, type, event, ws));
        }));
      }
    }
  }

  static describe(name, type, event, ws) {
    switch (type) {
      case "close":
        return [name, "close", event.code, event.reason, event.wasClean, ws.readyState];
      case "message": {
        // Tests that send binary messages set binaryType = "arraybuffer".
        let data = event.data;
        if (data instanceof ArrayBuffer) data = "binary:" + new Uint8Array(data).join(",");
        else if (typeof data !== "string") data = Object.prototype.toString.call(data);
        return [name, "message", data, ws.readyState];
      }
      default:
        return [name, type, ws.readyState];
    }
  }

  mark(...entry) {
    this._push(entry);
  }

  // Resolves (with the entry) once `name` has had `count` events of `type`.
  waitFor(name, type, count = 1) {
    return new Promise((resolve) => {
      const check = () => {
        const seen = this.log.filter((e) => e[0] === name && e[1] === type);
        if (seen.length < count) return false;
        resolve(seen[count - 1]);
        return true;
      };
      if (!check()) this._waiters.push(check);
    });
  }

  // The entries of one socket, or of the given types.
  of(name, types = undefined) {
    return this.log.filter((e) => e[0] === name && (types === undefined || types.includes(e[1])));
  }

  _push(entry) {
    this.log.push(entry);
    this._waiters = this._waiters.filter((check) => !check());
  }
}

// assert_array_equals on arrays of entries (compared as JSON).
function assert_entries(actual, expected, description) {
  assert_array_equals(actual.map((e) => JSON.stringify(e)), expected.map((e) => JSON.stringify(e)),
    description);
}

// ---- Waiting ----

// Resolves after `ms`. Used only to show that something does NOT happen
// within a short window (each caller says why a window is unavoidable);
// never to wait for something that will happen.
function quietWindow(t, ms = 50) {
  return new Promise((resolve) => t.step_timeout(resolve, ms));
}

// Resolves at the start of a later task (after the microtasks of this one
// and everything already queued before the timer).
function nextTask(t) {
  return new Promise((resolve) => t.step_timeout(resolve, 0));
}

// Connect to /remote-close?code=4000&reason=bye (the server closes first);
// assert open then one clean close event showing `readyState` inside the
// handler (3 in auto mode, 2 in manual); `inHandler(ws)` runs in the close
// handler, after the recorder's listener, and its result is `seen`.
async function remoteClose(t, readyState, label, inHandler = () => undefined) {
  const ws = CreateWebSocket("/remote-close", { code: 4000, reason: "bye" });
  const events = new EventRecorder(t, { ws });
  let seen;
  ws.addEventListener("close", t.step_func(() => {
    seen = inHandler(ws);
  }));
  await events.waitFor("ws", "close");
  assert_entries(events.log, [["ws", "open", 1], ["ws", "close", 4000, "bye", true, readyState]],
    `the close event, ${label} inside`);
  return { ws, seen, events };
}
