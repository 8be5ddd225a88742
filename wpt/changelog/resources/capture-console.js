// Wraps console.log for the rest of test `t`: each call's value (its first
// argument; the changelog examples log one value per call) is recorded, and
// still passed on to the original console.log, so the output stays visible
// (`hearth compare` shows it side by side). The original is restored in the
// test's cleanup.
function captureConsoleLog(t) {
  const logged = [];
  const original = console.log;
  console.log = function (...args) {
    logged.push(args.length === 1 ? args[0] : args);
    return original.apply(this, args);
  };
  t.add_cleanup(() => {
    console.log = original;
  });
  return logged;
}
