// META: title=WebSocket readyState constants, static and on instances
// META: script=/websockets/resources/constants.sub.js
// META: script=/websockets/resources/close-helpers.js

// Contract § "close() argument validation": WebSocket.CONNECTING/OPEN/
// CLOSING/CLOSED = 0/1/2/3, static and on instances (WHATWG WebSockets §3,
// the interface's constants; WebIDL §3.7.1: constants live on the interface
// object and on its prototype, read-only).

const CONSTANTS = [["CONNECTING", 0], ["OPEN", 1], ["CLOSING", 2], ["CLOSED", 3]];

for (const [name, value] of CONSTANTS) {
  test(() => {
    assert_equals(WebSocket[name], value);
  }, `WebSocket.${name} is ${value}`);

  test(() => {
    assert_equals(WebSocket.prototype[name], value, "on WebSocket.prototype");
    const [a, b] = Object.values(new WebSocketPair());
    assert_equals(a[name], value, "on the first end of a WebSocketPair");
    assert_equals(b[name], value, "on the second end of a WebSocketPair");
    assert_false(Object.prototype.hasOwnProperty.call(a, name), "inherited, not an own property");
  }, `${name} is ${value} on WebSocketPair ends`);

  test((t) => {
    const ws = CreateWebSocket();
    t.add_cleanup(() => {
      ws.close();
    });
    assert_equals(ws[name], value);
  }, `${name} is ${value} on a WebSocket made by new WebSocket(url)`);

  test(() => {
    for (const [where, object] of [["WebSocket", WebSocket], ["WebSocket.prototype", WebSocket.prototype]]) {
      const desc = Object.getOwnPropertyDescriptor(object, name);
      assert_not_equals(desc, undefined, `${where}.${name} exists`);
      assert_false(desc.writable, `${where}.${name} is not writable`);
      assert_true(desc.enumerable, `${where}.${name} is enumerable`);
      assert_false(desc.configurable, `${where}.${name} is not configurable`);
    }
  }, `${name} is a read-only constant (WebIDL)`);
}

test(() => {
  const [a, b] = Object.values(new WebSocketPair());
  assert_equals(a.readyState, WebSocket.OPEN, "first end");
  assert_equals(b.readyState, WebSocket.OPEN, "second end");
}, "readyState of a new WebSocketPair end compares equal to WebSocket.OPEN");
