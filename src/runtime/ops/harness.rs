//! The testharness's one op (`js/10_testharness.js`, `hearth test`).

use super::state;

/// `testReport(json)`: the harness's final report; the first one counts.
pub fn test_report(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    let json = args.get(0).to_rust_string_lossy(scope);
    let state = state(scope);
    let mut state = state.borrow_mut();
    if state.harness_report.is_none() {
        state.harness_report = Some(json);
    }
}
