// Replaces console.log for the rest of test `t` with a recorder of the
// values it is called with (the first argument of each call), and restores
// it in the test's cleanup. The changelog examples log one value per call.
function captureConsoleLog(t) {
  const logged = [];
  const original = console.log;
  console.log = (...args) => {
    logged.push(args.length === 1 ? args[0] : args);
  };
  t.add_cleanup(() => {
    console.log = original;
  });
  return logged;
}
