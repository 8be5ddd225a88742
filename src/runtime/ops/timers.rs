//! Timers: the glue keeps callbacks and repeat logic; Rust only sleeps and
//! then queues `Task::Timer(id)`.

use std::time::Duration;

use super::state;
use crate::runtime::state::Task;

/// `timerStart(id, delayMs)`.
pub fn start(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    let id = args.get(0).uint32_value(scope).unwrap_or(0);
    let delay = args.get(1).number_value(scope).unwrap_or(0.0);
    let delay = Duration::from_secs_f64((delay.max(0.0) / 1000.0).min(1e9));
    let state = state(scope);
    let tasks = state.borrow().tasks.clone();
    let handle = tokio::task::spawn_local(async move {
        tokio::time::sleep(delay).await;
        let _ = tasks.send(Task::Timer(id));
    })
    .abort_handle();
    let mut state = state.borrow_mut();
    let request = state.current_request;
    if let Some((old, _)) = state.timers.insert(id, (handle, request)) {
        old.abort();
    }
}

/// `timerCancel(id)`.
pub fn cancel(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    let id = args.get(0).uint32_value(scope).unwrap_or(0);
    if let Some((handle, _)) = state(scope).borrow_mut().timers.remove(&id) {
        handle.abort();
    }
}
