//! How work enters JavaScript and results leave it: a request becomes a
//! `Request` and a call of the worker's `fetch`, a response's parts become a
//! [`FetchResponse`], a WebSocket event becomes `internals.wsEvent(...)`.

use super::errors::JsError;
use super::js_runtime::Globals;
use super::ops;
use super::state::SharedState;
use super::worker::{FetchError, FetchRequest, FetchResponse};
use crate::ws::Event;

pub fn get<'s>(
    scope: &v8::PinScope<'s, '_>,
    object: v8::Local<'s, v8::Object>,
    key: &str,
) -> Option<v8::Local<'s, v8::Value>> {
    let key = v8::String::new(scope, key)?;
    object.get(scope, key.into())
}

/// Call `internals.<name>(...args)`; an exception escaping it is reported.
pub fn call_internal<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    g: &Globals,
    name: &str,
    args: &[v8::Local<'s, v8::Value>],
) {
    let internals = v8::Local::new(scope, &g.internals);
    // An empty message is a termination (limits), reported by the caller.
    if let Err(e) = call_method(scope, internals, name, args)
        && !e.message.is_empty()
    {
        eprintln!("Uncaught {e}");
    }
}

/// `internals.testharness[name](...args)` (a script run, `hearth test`).
pub fn call_harness<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    g: &Globals,
    name: &str,
    args: &[v8::Local<'s, v8::Value>],
) -> Result<(), JsError> {
    let internals = v8::Local::new(scope, &g.internals);
    let harness = get(scope, internals, "testharness")
        .and_then(|h| h.to_object(scope))
        .ok_or_else(|| JsError {
            message: "hearth bug: internals.testharness is missing".into(),
            location: None,
            stack: None,
        })?;
    call_method(scope, harness, name, args).map(|_| ())
}

/// `recv[name](...args)`, with a thrown exception as a [`JsError`].
fn call_method<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    recv: v8::Local<'s, v8::Object>,
    name: &str,
    args: &[v8::Local<'s, v8::Value>],
) -> Result<v8::Local<'s, v8::Value>, JsError> {
    let function = get(scope, recv, name).and_then(|f| v8::Local::<v8::Function>::try_from(f).ok());
    let function = function.ok_or_else(|| JsError {
        message: format!("TypeError: {name} is not a function"),
        location: None,
        stack: None,
    })?;
    v8::tc_scope!(let tc, scope);
    match function.call(tc, recv.into(), args) {
        Some(v) => Ok(v),
        None if tc.has_terminated() => Err(JsError {
            message: String::new(),
            location: None,
            stack: None,
        }),
        None => Err(JsError::from_try_catch(tc)),
    }
}

pub fn ws_event_args<'s>(
    scope: &v8::PinScope<'s, '_>,
    id: u32,
    event: Event,
) -> Vec<v8::Local<'s, v8::Value>> {
    let s = |text: &str| -> v8::Local<v8::Value> { v8::String::new(scope, text).unwrap().into() };
    let mut args = vec![v8::Integer::new_from_unsigned(scope, id).into()];
    match event {
        Event::Open => args.push(s("open")),
        Event::Message(crate::ws::Message::Text(text)) => args.extend([s("message"), s(&text)]),
        Event::Message(crate::ws::Message::Binary(bytes)) => args.extend([
            s("message"),
            ops::array_buffer(scope, bytes.to_vec()).into(),
        ]),
        Event::Error { message } => args.extend([s("error"), s(&message)]),
        Event::Close {
            code,
            reason,
            was_clean,
        } => args.extend([
            s("close"),
            v8::Integer::new_from_unsigned(scope, u32::from(code)).into(),
            s(&reason),
            v8::Boolean::new(scope, was_clean).into(),
        ]),
    }
    args
}

/// `handler.fetch(internals.toRequest(parts), env, ctx)`, then
/// `internals.fromResponse(result)`: the promise of the response's parts.
pub fn dispatch_fetch(
    scope: &mut v8::PinScope,
    g: &Globals,
    request: FetchRequest,
) -> Result<v8::Global<v8::Promise>, JsError> {
    let internals = v8::Local::new(scope, &g.internals);
    let Some(worker) = &g.worker else {
        return Err(JsError {
            message: "hearth bug: a request reached a runtime with no fetch handler".into(),
            location: None,
            stack: None,
        });
    };
    let handler = v8::Local::new(scope, &worker.handler);
    let parts = v8::Object::new(scope);
    let method = v8::String::new(scope, &request.method).unwrap();
    let url = v8::String::new(scope, &request.url).unwrap();
    let headers: Vec<v8::Local<v8::Value>> = request
        .headers
        .iter()
        .map(|(k, v)| {
            let pair = [
                v8::String::new(scope, k).unwrap().into(),
                v8::String::new(scope, v).unwrap().into(),
            ];
            v8::Array::new_with_elements(scope, &pair).into()
        })
        .collect();
    let headers = v8::Array::new_with_elements(scope, &headers);
    let body: v8::Local<v8::Value> = if request.body.is_empty() {
        v8::null(scope).into()
    } else {
        let buffer = ops::array_buffer(scope, request.body.to_vec());
        v8::Uint8Array::new(scope, buffer, 0, buffer.byte_length())
            .unwrap()
            .into()
    };
    for (k, v) in [
        ("method", method.into()),
        ("url", url.into()),
        ("headers", headers.into()),
        ("body", body),
    ] {
        let key = v8::String::new(scope, k).unwrap();
        parts.set(scope, key.into(), v);
    }
    let request = call_method(scope, internals, "toRequest", &[parts.into()])?;
    let env = v8::Local::new(scope, &worker.env);
    let ctx = v8::Local::new(scope, &worker.ctx);
    let result = call_method(scope, handler, "fetch", &[request, env, ctx])?;
    let promise = call_method(scope, internals, "fromResponse", &[result])?;
    let promise = v8::Local::<v8::Promise>::try_from(promise).map_err(|_| JsError {
        message: "hearth bug: fromResponse must return a Promise".into(),
        location: None,
        stack: None,
    })?;
    // Rust reads its outcome: a rejection here is the request's 500, not an
    // unhandled rejection.
    promise.mark_as_handled();
    Ok(v8::Global::new(scope, promise))
}

/// The parts object from `internals.fromResponse` as a [`FetchResponse`].
pub fn read_response(
    scope: &mut v8::PinScope,
    parts: v8::Local<v8::Value>,
    state: &SharedState,
) -> Result<FetchResponse, FetchError> {
    let bad = || {
        FetchError::Exception(JsError {
            message: "hearth bug: malformed response parts".into(),
            location: None,
            stack: None,
        })
    };
    let parts = parts.to_object(scope).ok_or_else(bad)?;
    let status = get(scope, parts, "status")
        .and_then(|v| v.uint32_value(scope))
        .ok_or_else(bad)? as u16;
    let status_text = get(scope, parts, "statusText")
        .map(|v| v.to_rust_string_lossy(scope))
        .unwrap_or_default();
    let mut headers = vec![];
    if let Some(list) =
        get(scope, parts, "headers").and_then(|v| v8::Local::<v8::Array>::try_from(v).ok())
    {
        for i in 0..list.length() {
            let Some(pair) = list.get_index(scope, i).and_then(|p| p.to_object(scope)) else {
                continue;
            };
            let (Some(k), Some(v)) = (pair.get_index(scope, 0), pair.get_index(scope, 1)) else {
                continue;
            };
            headers.push((k.to_rust_string_lossy(scope), v.to_rust_string_lossy(scope)));
        }
    }
    let body = get(scope, parts, "body")
        .and_then(|b| ops::bytes_of(scope, b))
        .unwrap_or_default();
    let web_socket = get(scope, parts, "webSocket")
        .filter(|v| v.is_number())
        .and_then(|v| v.uint32_value(scope))
        .and_then(|id| state.borrow_mut().release_socket(id));
    Ok(FetchResponse {
        status,
        status_text,
        headers,
        body: body.into(),
        web_socket,
    })
}
