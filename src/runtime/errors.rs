//! JavaScript exceptions as Rust errors, located by file:line:col.

use std::fmt;

/// An exception thrown by JavaScript (or a compile error), ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsError {
    /// e.g. `SyntaxError: Unexpected token '}'`.
    pub message: String,
    /// `file:line:col` of where it was thrown, when V8 knows.
    pub location: Option<String>,
    /// The `stack` property, when the exception is an Error.
    pub stack: Option<String>,
}

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.stack, &self.location) {
            // A stack already names the location of its first frame; a
            // syntax error's stack does not, so the location is added.
            (Some(stack), Some(loc)) if !stack.contains(loc.as_str()) => {
                write!(f, "{stack}\n    at {loc}")
            }
            (Some(stack), _) => f.write_str(stack),
            (None, Some(loc)) => write!(f, "{}\n    at {loc}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for JsError {}

impl JsError {
    /// Build from a caught exception and its message.
    pub fn from_exception(
        scope: &v8::PinScope,
        exception: v8::Local<v8::Value>,
        message: Option<v8::Local<v8::Message>>,
    ) -> Self {
        let message_text = message
            .map(|m| m.get(scope).to_rust_string_lossy(scope))
            .unwrap_or_else(|| exception.to_rust_string_lossy(scope));
        // A value thrown without a source position (a rejection with a
        // string, `throw null` from a promise) has no location.
        let location = message.and_then(|m| {
            let file = m
                .get_script_resource_name(scope)
                .filter(|n| !n.is_undefined())?;
            let line = m.get_line_number(scope).filter(|l| *l > 0)?;
            let col = i64::try_from(m.get_start_column())
                .ok()
                .filter(|c| *c >= 0)?
                + 1;
            Some(format!("{}:{line}:{col}", file.to_rust_string_lossy(scope)))
        });
        let stack = exception.to_object(scope).and_then(|o| {
            let key = v8::String::new(scope, "stack")?;
            let stack = o.get(scope, key.into())?;
            stack.is_string().then(|| stack.to_rust_string_lossy(scope))
        });
        // V8's message text starts with "Uncaught "; the class and text follow.
        let message = message_text
            .strip_prefix("Uncaught ")
            .unwrap_or(&message_text)
            .to_owned();
        JsError {
            message,
            location,
            stack,
        }
    }

    /// From a `TryCatch` that caught something.
    pub fn from_try_catch(
        tc: &v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>,
    ) -> Self {
        let exception = tc.exception();
        let message = tc.message();
        match exception {
            Some(e) => Self::from_exception(tc, e, message),
            None => JsError {
                message: "execution terminated".into(),
                location: None,
                stack: None,
            },
        }
    }
}
