//! Output: `console.*` (formatted in JS) and uncaught-error reports.

use std::io::Write;

use super::state;
use crate::runtime::errors::JsError;

/// `print(text, toStderr)`: one line to stdout or stderr.
pub fn print(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    let text = args.get(0).to_rust_string_lossy(scope);
    let line = format!("{text}\n");
    // A closed pipe must not take the worker down.
    if args.get(1).is_true() {
        let _ = std::io::stderr().write_all(line.as_bytes());
    } else {
        let _ = std::io::stdout().write_all(line.as_bytes());
    }
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
    let _ = writeln!(std::io::stderr(), "Uncaught {error}");
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
