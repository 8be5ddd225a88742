//! WebSocket ops: a thin layer over the WebSocket core. Every rule is
//! decided in `crate::ws`; these only convert values and errors.

use super::{bytes_of, error_triple, js_string, state, type_error, ws_error};
use crate::ws::{self, Message, WebSocket};

fn socket(scope: &v8::PinScope, args: &v8::FunctionCallbackArguments) -> Option<WebSocket> {
    let id = args.get(0).uint32_value(scope)?;
    state(scope).borrow().socket(id)
}

/// `wsPair()`: `[id0, id1]`.
pub fn pair(
    scope: &mut v8::PinScope,
    _args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let state = state(scope);
    let config = state.borrow().ws_config;
    let (a, b) = ws::pair(config);
    let (ia, ib) = {
        let mut s = state.borrow_mut();
        (s.register_socket(a), s.register_socket(b))
    };
    let items = [
        v8::Integer::new_from_unsigned(scope, ia).into(),
        v8::Integer::new_from_unsigned(scope, ib).into(),
    ];
    rv.set(v8::Array::new_with_elements(scope, &items).into());
}

/// `wsAccept(id, allowHalfOpen)`.
pub fn accept(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let Some(ws) = socket(scope, &args) else {
        return;
    };
    if let Err(e) = ws.accept(args.get(1).is_true()) {
        rv.set(ws_error(scope, &e));
    }
}

/// `wsSend(id, data)`: a string is a text message, bytes a binary one.
pub fn send(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let Some(ws) = socket(scope, &args) else {
        return;
    };
    let data = args.get(1);
    let message = if data.is_string() {
        Message::Text(data.to_rust_string_lossy(scope))
    } else if let Some(bytes) = bytes_of(scope, data) {
        Message::Binary(bytes.into())
    } else {
        return type_error(
            scope,
            "WebSocket send() needs a string, an ArrayBuffer or an ArrayBufferView.",
        );
    };
    if let Err(e) = ws.send(message) {
        rv.set(ws_error(scope, &e));
    }
}

/// `wsClose(id, code?, reason?)`.
pub fn close(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let Some(ws) = socket(scope, &args) else {
        return;
    };
    let code = args.get(1);
    let code = if code.is_undefined() {
        None
    } else {
        Some(code.number_value(scope).unwrap_or(0.0).trunc() as i64)
    };
    let reason = args.get(2);
    let reason = (!reason.is_undefined()).then(|| reason.to_rust_string_lossy(scope));
    if let Err(e) = ws.close(code, reason.as_deref()) {
        rv.set(ws_error(scope, &e));
    }
}

/// `wsReadyState(id)`: a socket the loop forgot is CLOSED.
pub fn ready_state(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let state = socket(scope, &args).map_or(3, |ws| ws.ready_state() as i32);
    rv.set_int32(state);
}

/// `wsBufferedAmount(id)`.
pub fn buffered_amount(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let amount = socket(scope, &args).map_or(0, |ws| ws.buffered_amount());
    rv.set_double(amount as f64);
}

/// `wsInfo(id)`: `{ url, protocol, extensions }`.
pub fn info(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let info = socket(scope, &args).map(|ws| ws.info()).unwrap_or_default();
    let object = v8::Object::new(scope);
    let url: v8::Local<v8::Value> = match &info.url {
        Some(u) => match js_string(scope, u) {
            Some(u) => u.into(),
            None => return,
        },
        None => v8::null(scope).into(),
    };
    let (Some(protocol), Some(extensions)) = (
        js_string(scope, &info.protocol),
        js_string(scope, &info.extensions),
    ) else {
        return;
    };
    for (key, value) in [
        ("url", url),
        ("protocol", protocol.into()),
        ("extensions", extensions.into()),
    ] {
        let key = v8::String::new(scope, key).unwrap();
        object.set(scope, key.into(), value);
    }
    rv.set(object.into());
}

/// `wsConnect(url, protocols)`: a CONNECTING socket's id, or an error triple.
pub fn connect(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let url = args.get(0).to_rust_string_lossy(scope);
    let mut protocols = vec![];
    if let Ok(list) = v8::Local::<v8::Array>::try_from(args.get(1)) {
        for i in 0..list.length() {
            if let Some(p) = list.get_index(scope, i) {
                protocols.push(p.to_rust_string_lossy(scope));
            }
        }
    }
    let state = state(scope);
    let config = state.borrow().ws_config;
    match ws::net::connect(&url, &protocols, config) {
        Ok(ws) => {
            let id = state.borrow_mut().register_socket(ws);
            rv.set(v8::Integer::new_from_unsigned(scope, id).into());
        }
        Err(e) => rv.set(error_triple(
            scope,
            "DOMException",
            "SyntaxError",
            &e.to_string(),
        )),
    }
}
