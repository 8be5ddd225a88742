//! Output: `console.*` (formatted in JS) and uncaught-error reports.

use std::io::Write;

use super::state;
use crate::runtime::errors::JsError;
use crate::runtime::trace::TraceEntry;

/// `print(text, level)`: one line of console output.
pub fn print(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    let text = args.get(0).to_rust_string_lossy(scope);
    let level = args.get(1).to_rust_string_lossy(scope);
    output(scope, level, text);
}

/// `reportError(error)`: an exception nobody caught (in a listener, a timer,
/// a microtask); printed with its stack, the worker keeps running.
pub fn report_error(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    let exception = args.get(0);
    let message = v8::Exception::create_message(scope, exception);
    let error = JsError::from_exception(scope, exception, Some(message));
    output(scope, "error".into(), format!("Uncaught {error}"));
}

/// One line to stdout (`log`, `info`, `debug`) or stderr (`warn`,
/// `error`), or into the trace when one is recorded.
fn output(scope: &v8::PinScope, level: String, text: String) {
    if let Some(sink) = state(scope).borrow().trace.as_ref() {
        sink.push(TraceEntry::Console { level, text });
        return;
    }
    let line = format!("{text}\n");
    // A closed pipe must not take the worker down.
    if matches!(level.as_str(), "warn" | "error") {
        let _ = std::io::stderr().write_all(line.as_bytes());
    } else {
        let _ = std::io::stdout().write_all(line.as_bytes());
    }
}

/// `compatFlags()`: the resolved flags as JSON text.
pub fn compat_flags(
    scope: &mut v8::PinScope,
    _args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let json = state(scope).borrow().flags_json.clone();
    rv.set(v8::String::new(scope, &json).unwrap().into());
}
