//! [`run_scripts`]: run classic scripts (a test file and its
//! `// META: script=` helpers) in a fresh isolate with hearth's testharness
//! installed, until the harness reports or the timeout passes.
//!
//! The harness (`js/10_testharness.js`) is told four things, as WPT's is by
//! a browser: `install` (before the scripts), `uncaught` (an exception no
//! test caught: a script's top level, an unhandled rejection), `loaded` (the
//! scripts have run: WPT's end of the worker script) and `timeout`.

use std::time::{Duration, Instant};

use super::dispatch::call_harness;
use super::errors::JsError;
use super::harness::{HarnessReport, HarnessStatus};
use super::js_runtime::{Globals, JsRuntime, Setup};
use super::trace::{TraceEntry, TraceSink};
use super::worker::{FetchError, StartError};
use super::{bootstrap, modules};
use crate::compat::ResolvedFlags;

/// One classic script: its source and the name stacks and errors show
/// (the file's path).
#[derive(Debug, Clone)]
pub struct ClassicScript {
    pub name: String,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct ScriptRunOptions {
    /// Run in order, in one global scope (top-level `const`/`let` of an
    /// earlier script are visible to later ones).
    pub scripts: Vec<ClassicScript>,
    pub flags: ResolvedFlags,
    /// The test's URL, what `location` shows (with any `?variant`).
    pub location: String,
    /// The whole file's timeout: then pending subtests are TIMEOUT.
    pub timeout: Duration,
    /// V8 heap limit in bytes.
    pub heap_limit: usize,
    /// Record a trace (events, frames, console). Console output is always
    /// captured, never printed: it is part of the outcome.
    pub trace: bool,
}

#[derive(Debug, Clone)]
pub struct ScriptOutcome {
    pub report: HarnessReport,
    /// Console lines (always) and, with `trace`, events and frames, in order.
    pub trace: Vec<TraceEntry>,
}

/// CPU time the context's start-up (glue, harness install) may take.
const START_LIMIT: Duration = Duration::from_secs(10);

/// Run the scripts on a thread of their own and wait for the harness.
/// Several may run at once (one isolate per call).
pub fn run_scripts(options: ScriptRunOptions) -> ScriptOutcome {
    let sink = TraceSink::default();
    let thread_sink = sink.clone();
    let ran = std::thread::Builder::new()
        .name("hearth-test".into())
        .spawn(move || run_on_this_thread(&options, thread_sink))
        .map_err(|e| e.to_string())
        .and_then(|t| {
            t.join()
                .map_err(|_| "hearth bug: the test thread panicked".to_owned())
        });
    let report = ran.unwrap_or_else(|e| HarnessReport::failed(HarnessStatus::Error, e));
    ScriptOutcome {
        report,
        trace: sink.entries(),
    }
}

fn run_on_this_thread(options: &ScriptRunOptions, sink: TraceSink) -> HarnessReport {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return HarnessReport::failed(HarnessStatus::Error, e.to_string()),
    };
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        let setup = Setup {
            flags: &options.flags,
            // Start-up runs only hearth's glue and the harness's install:
            // not the test's time. `drive` then limits each entry to what
            // is left of the file's timeout.
            cpu_limit: START_LIMIT,
            heap_limit: options.heap_limit,
            trace: Some(sink),
            trace_sockets: options.trace,
            name: options
                .scripts
                .last()
                .map_or(options.location.clone(), |s| s.name.clone()),
        };
        let runtime = JsRuntime::create(&setup, |isolate| start(isolate, options));
        match runtime {
            Ok(mut runtime) => drive(&mut runtime, options).await,
            Err(e) => HarnessReport::failed(HarnessStatus::Error, e.to_string()),
        }
    })
}

/// A context with the glue and the testharness installed; no script yet.
fn start(
    isolate: &mut v8::OwnedIsolate,
    options: &ScriptRunOptions,
) -> Result<Globals, StartError> {
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    let scope = &mut v8::ContextScope::new(scope, context);
    let internals = bootstrap::run(scope).map_err(StartError::Glue)?;
    let globals = Globals {
        context: v8::Global::new(scope, context),
        internals: v8::Global::new(scope, internals),
        worker: None,
    };
    let settings = v8::Object::new(scope);
    let location = v8::String::new(scope, &options.location).unwrap();
    let key = v8::String::new(scope, "location").unwrap();
    settings.set(scope, key.into(), location.into());
    call_harness(scope, &globals, "install", &[settings.into()]).map_err(StartError::Glue)?;
    Ok(globals)
}

/// Run the scripts, then the event loop until the harness reports.
async fn drive(rt: &mut JsRuntime, options: &ScriptRunOptions) -> HarnessReport {
    let deadline = tokio::time::Instant::now() + options.timeout;
    let started = Instant::now();
    // No entry may spin past the file's deadline: each is limited to what
    // is left of it (the file's timeout is wall time, the watchdog's CPU).
    let left = |rt: &mut JsRuntime| {
        rt.cpu_limit = deadline
            .saturating_duration_since(tokio::time::Instant::now())
            .max(Duration::from_millis(1));
    };
    for script in &options.scripts {
        left(rt);
        let ran = rt.enter(None, |scope, g| run_classic(scope, g, script));
        rt.checkpoint();
        if ran.is_err() || rt.state.borrow().harness_report.is_some() {
            break;
        }
    }
    if rt.limit_hit.is_none() {
        left(rt);
        harness(rt, "loaded");
        rt.checkpoint();
    }
    let mut idle = false;
    while rt.state.borrow().harness_report.is_none() && rt.limit_hit.is_none() {
        if rt.is_idle() {
            idle = true;
            break;
        }
        let poll = rt.isolate.has_pending_background_tasks();
        tokio::select! {
            biased;
            Some(task) = rt.tasks.recv() => {
                left(rt);
                rt.run_task(task)
            }
            _ = tokio::time::sleep_until(deadline) => break,
            _ = tokio::time::sleep(super::js_runtime::PLATFORM_POLL), if poll => {}
        }
        left(rt);
        rt.pump_platform();
        rt.checkpoint();
    }
    let limit = rt.limit_hit.take();
    if rt.state.borrow().harness_report.is_none() {
        // The harness's own last words get a moment of their own.
        rt.cpu_limit = START_LIMIT;
        harness(rt, "timeout");
        rt.checkpoint();
    }
    let json = rt.state.borrow_mut().harness_report.take();
    let mut report = match json.map(|j| serde_json::from_str::<HarnessReport>(&j)) {
        Some(Ok(report)) => report,
        Some(Err(e)) => HarnessReport::failed(
            HarnessStatus::Error,
            format!("hearth bug: the testharness's report is not valid: {e}"),
        ),
        None => HarnessReport::failed(
            HarnessStatus::Timeout,
            "the testharness did not report (the file was stopped)",
        ),
    };
    // Say why the file ended early, where the harness could not know.
    let why = match limit {
        Some(FetchError::CpuLimit) => Some(format!(
            "a script was still running at the file's timeout ({:.1?}) and was stopped",
            options.timeout
        )),
        Some(other) => Some(other.to_string()),
        None if idle => Some(format!(
            "nothing is left that could finish the pending tests (no timer, socket or task) after {:.0?}",
            started.elapsed()
        )),
        None => None,
    };
    if let Some(why) = why
        && report.status != HarnessStatus::Ok
    {
        report.message = Some(match report.message.take() {
            Some(m) if !m.is_empty() => format!("{m} ({why})"),
            _ => why,
        });
    }
    report
}

/// `internals.testharness.<name>()` as an entry of its own.
fn harness(rt: &mut JsRuntime, name: &str) {
    let called = rt.enter(None, |scope, g| call_harness(scope, g, name, &[]));
    if let Ok(Err(e)) = called {
        eprintln!("hearth bug: testharness.{name}() threw: {e}");
    }
}

/// Compile and run one classic script in the global scope; an exception it
/// throws (or a syntax error) goes to the harness as `uncaught`, with its
/// file:line:col.
fn run_classic(scope: &mut v8::PinScope, g: &Globals, script: &ClassicScript) {
    let failed = {
        v8::tc_scope!(let tc, scope);
        match v8::String::new(tc, &script.source) {
            None => Some(format!("{} is too large", script.name)),
            Some(code) => {
                let origin = modules::script_origin(tc, &script.name, false);
                let ran = v8::Script::compile(tc, code, Some(&origin)).and_then(|s| s.run(tc));
                if ran.is_some() || tc.has_terminated() {
                    None
                } else {
                    Some(format!("Uncaught {}", JsError::from_try_catch(tc)))
                }
            }
        }
    };
    if let Some(message) = failed {
        report_uncaught(scope, g, &message);
    }
}

fn report_uncaught(scope: &mut v8::PinScope, g: &Globals, message: &str) {
    let Some(message) = v8::String::new(scope, message) else {
        return;
    };
    if let Err(e) = call_harness(scope, g, "uncaught", &[message.into()]) {
        eprintln!("hearth bug: testharness.uncaught() threw: {e}");
    }
}
