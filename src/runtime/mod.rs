//! The JavaScript runtime: one V8 isolate and context per worker, on a
//! thread of its own, with an event loop that runs one task at a time
//! (a timer, a WebSocket event, a request) and a microtask checkpoint after
//! each.
//!
//! ```text
//! worker.rs      Worker: the thread, its command channel, start-up errors
//! js_runtime.rs  JsRuntime: isolate + context + the event loop
//! dispatch.rs    requests, responses and events in and out of JavaScript
//! bootstrap.rs   a context from the startup snapshot (build.rs runs the js/
//!                glue once, see build/glue.rs), ops filled in
//! entry.rs       what a context runs first: a worker module, or the testharness
//! modules.rs     ES module loading (the worker file and relative imports)
//! errors.rs      JsError: exceptions with file:line:col and stack
//! limits.rs      CPU-time watchdog and heap limit
//! memory.rs      ArrayBuffer allocator bounded by the memory limit
//! requests.rs    per-request CPU budgets (which request each entry works for)
//! script_run.rs  run_scripts: classic scripts + testharness (hearth test)
//! harness.rs     what the testharness reports
//! trace.rs       events, frames, console in order (hearth compare)
//! ops/           native functions the glue calls (console, timers, ws, ...)
//! ```

mod bootstrap;
mod dispatch;
mod entry;
mod errors;
pub mod harness;
mod js_runtime;
mod limits;
mod memory;
mod modules;
mod ops;
mod platform;
mod requests;
mod script_run;
mod state;
pub mod trace;
mod worker;

pub use errors::JsError;
pub use script_run::{ClassicScript, ScriptOutcome, ScriptRunOptions, run_scripts};
pub use worker::{FetchError, FetchRequest, FetchResponse, StartError, Worker, WorkerOptions};
