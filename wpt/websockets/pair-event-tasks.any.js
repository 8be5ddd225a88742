// META: title=WebSocketPair: events are tasks, never synchronous inside send()/close(), never microtasks
// META: script=/websockets/resources/close-helpers.js

// Contract § "In-process WebSocketPair": events are dispatched as tasks,
// never synchronously inside send()/close() and never as microtasks (HTML
// §8.1.7 event loops: a microtask checkpoint runs after each task, so a
// microtask queued before the event runs before it).

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const order = [];
  const message = new Promise((resolve) => {
    b.addEventListener("message", t.step_func((e) => {
      order.push(`message ${e.data}`);
      resolve();
    }));
  });
  a.send("x");
  order.push("after send()");
  queueMicrotask(() => order.push("queueMicrotask"));
  Promise.resolve().then(() => order.push("promise reaction"));
  await message;
  assert_array_equals(order, ["after send()", "queueMicrotask", "promise reaction", "message x"]);
}, "the message event is not dispatched inside send(), and microtasks queued after send() run before it");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const order = [];
  const closed = new Promise((resolve) => {
    b.addEventListener("close", t.step_func((e) => {
      order.push(`close ${e.code}`);
      resolve();
    }));
  });
  a.close(1000);
  order.push("after close()");
  queueMicrotask(() => {
    order.push("microtask");
    queueMicrotask(() => order.push("microtask queued by a microtask"));
  });
  await closed;
  assert_array_equals(order, ["after close()", "microtask", "microtask queued by a microtask", "close 1000"]);
}, "the peer's close event is not dispatched inside close(), and microtasks (even chained ones) run before it");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const order = [];
  const both = new Promise((resolve) => {
    b.addEventListener("message", t.step_func((e) => {
      order.push(`message ${e.data}`);
      queueMicrotask(() => order.push(`microtask from message ${e.data}`));
      if (e.data === "2") resolve();
    }));
  });
  a.send("1");
  a.send("2");
  await both;
  assert_array_equals(order, ["message 1", "microtask from message 1", "message 2", "microtask from message 2"]);
}, "each message event is its own task: a microtask queued in one handler runs before the next event");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  const order = [];
  b.addEventListener("message", t.step_func((e) => order.push(`b got ${e.data}`)));
  const done = new Promise((resolve) => {
    a.addEventListener("message", t.step_func((e) => {
      order.push(`a got ${e.data}`);
      resolve();
    }));
  });
  b.addEventListener("message", t.step_func(() => {
    b.send("pong");
    order.push("after b.send() in b's handler");
  }));
  a.send("ping");
  await done;
  assert_array_equals(order, ["b got ping", "after b.send() in b's handler", "a got pong"]);
}, "send() inside an event handler does not dispatch the peer's event synchronously either");

promise_test(async (t) => {
  const [a, b] = acceptedPair();
  let inside = false;
  const seen = [];
  b.addEventListener("message", t.step_func(() => seen.push(inside)));
  b.addEventListener("close", t.step_func(() => seen.push(inside)));
  inside = true;
  a.send("x");
  a.close(1000);
  inside = false;
  await new Promise((resolve) => b.addEventListener("close", resolve));
  assert_array_equals(seen, [false, false], "no event fired while send()/close() were running");
}, "no event of the peer fires while send() or close() is running");
