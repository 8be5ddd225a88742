//! Native functions for the JavaScript glue, one file per concern. They are
//! installed on the `ops` object that each `js/` file receives; the glue
//! turns them into standard APIs.
//!
//! Ops that can fail return an error triple `[kind, name, message]` rather
//! than throwing: the glue throws the matching `DOMException`/`TypeError`.

mod console;
mod crypto;
mod harness;
mod timers;
mod url;
mod ws;

use crate::ws::{ErrorClass, WsError};

use super::state::SharedState;

/// Install each op on `ops` under the name the glue uses. (A macro, not a
/// table: V8 needs each callback as its own zero-sized function type.)
macro_rules! install {
    ($scope:expr, $ops:expr, { $($name:literal => $op:path),* $(,)? }) => {
        $(
            let key = v8::String::new($scope, $name).unwrap();
            let function = v8::Function::new($scope, $op).unwrap();
            function.set_name(key);
            $ops.set($scope, key.into(), function.into());
        )*
    };
}

/// Fill the snapshot's `ops` object with the native functions.
pub fn install(scope: &mut v8::PinScope, ops: v8::Local<v8::Object>) {
    install!(scope, ops, {
        "print" => console::print,
        "reportError" => console::report_error,
        "compatFlags" => console::compat_flags,
        "timerStart" => timers::start,
        "timerCancel" => timers::cancel,
        "randomUUID" => crypto::random_uuid,
        "getRandomValues" => crypto::get_random_values,
        "structuredClone" => crypto::structured_clone,
        "urlParse" => url::parse,
        "wsPair" => ws::pair,
        "wsAccept" => ws::accept,
        "wsSend" => ws::send,
        "wsClose" => ws::close,
        "wsReadyState" => ws::ready_state,
        "wsBufferedAmount" => ws::buffered_amount,
        "wsInfo" => ws::info,
        "wsConnect" => ws::connect,
        "testReport" => harness::test_report,
    });
}

pub fn state(scope: &v8::PinScope) -> SharedState {
    scope
        .get_slot::<SharedState>()
        .expect("runtime state")
        .clone()
}

/// A JS string, or `None` after throwing V8's own `RangeError` when `text`
/// is longer than a JS string can be (ops never panic on user data).
pub fn js_string<'s>(
    scope: &v8::PinScope<'s, '_>,
    text: &str,
) -> Option<v8::Local<'s, v8::String>> {
    let string = v8::String::new(scope, text);
    if string.is_none() {
        let message = v8::String::new(scope, "Invalid string length").unwrap();
        let error = v8::Exception::range_error(scope, message);
        scope.throw_exception(error);
    }
    string
}

/// `[kind, name, message]` for the glue to throw.
pub fn error_triple<'s>(
    scope: &v8::PinScope<'s, '_>,
    kind: &str,
    name: &str,
    message: &str,
) -> v8::Local<'s, v8::Value> {
    // A message too long for a JS string (it can quote a user's URL) is cut.
    let items = [kind, name, message].map(|s| {
        let short = &s[..s.floor_char_boundary(1 << 20)];
        v8::String::new(scope, short).unwrap().into()
    });
    v8::Array::new_with_elements(scope, &items).into()
}

pub fn ws_error<'s>(scope: &v8::PinScope<'s, '_>, e: &WsError) -> v8::Local<'s, v8::Value> {
    match e.class() {
        ErrorClass::DomException(name) => error_triple(scope, "DOMException", name, &e.to_string()),
        ErrorClass::TypeError => error_triple(scope, "TypeError", "TypeError", &e.to_string()),
    }
}

/// Throw a `TypeError` for arguments the glue should never pass.
pub fn type_error(scope: &v8::PinScope, message: &str) {
    let message = v8::String::new(scope, message).unwrap();
    let error = v8::Exception::type_error(scope, message);
    scope.throw_exception(error);
}

/// Bytes of a string, `ArrayBuffer` or view argument.
pub fn bytes_of(scope: &v8::PinScope, value: v8::Local<v8::Value>) -> Option<Vec<u8>> {
    if let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(value) {
        let mut out = vec![0u8; view.byte_length()];
        view.copy_contents(&mut out);
        return Some(out);
    }
    if let Ok(buffer) = v8::Local::<v8::ArrayBuffer>::try_from(value) {
        let store = buffer.get_backing_store();
        let len = buffer.byte_length();
        let data = store.data().map(|p| p.as_ptr() as *const u8);
        // SAFETY: the backing store lives as long as `store`, len bytes long.
        return Some(data.map_or(vec![], |p| {
            unsafe { std::slice::from_raw_parts(p, len) }.to_vec()
        }));
    }
    let _ = scope;
    None
}

/// A new `ArrayBuffer` holding `bytes`.
pub fn array_buffer<'s>(
    scope: &v8::PinScope<'s, '_>,
    bytes: Vec<u8>,
) -> v8::Local<'s, v8::ArrayBuffer> {
    let store = v8::ArrayBuffer::new_backing_store_from_vec(bytes).make_shared();
    v8::ArrayBuffer::with_backing_store(scope, &store)
}
