//! [`JsRuntime`]: one isolate, one context, and the event loop that runs
//! one task at a time with a microtask checkpoint after each.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::dispatch::{call_harness, call_internal, dispatch_fetch, read_response, ws_event_args};
use super::errors::JsError;
use super::limits::Watchdog;
use super::modules::SharedModuleMap;
use super::requests::{Budgets, RequestId};
use super::state::{SharedState, State, Task};
use super::trace::{TraceEntry, TraceSink};
use super::worker::{Command, FetchError, FetchRequest, FetchResponse, StartError, WorkerOptions};
use super::{bootstrap, entry, memory, platform};
use crate::compat::ResolvedFlags;
use crate::ws::{Event, WsConfig, tap};

type Respond = oneshot::Sender<Result<FetchResponse, FetchError>>;

struct Pending {
    /// `internals.fromResponse(...)`: settles to the response's parts.
    promise: v8::Global<v8::Promise>,
    respond: Respond,
    request: RequestId,
}

/// Handles into the context that every entry needs.
pub(super) struct Globals {
    pub context: v8::Global<v8::Context>,
    pub internals: v8::Global<v8::Object>,
    /// A worker's `fetch` handler, `env` and `ctx` (none in a script run).
    pub worker: Option<WorkerEntry>,
}

pub(super) struct WorkerEntry {
    pub handler: v8::Global<v8::Object>,
    pub env: v8::Global<v8::Value>,
    pub ctx: v8::Global<v8::Value>,
}

/// What a runtime is made with: its flags, limits and what it records.
pub(super) struct Setup<'a> {
    pub flags: &'a ResolvedFlags,
    pub cpu_limit: Duration,
    pub heap_limit: usize,
    /// Console output goes here instead of stdout/stderr; with
    /// `trace_sockets`, so do socket events and frames.
    pub trace: Option<TraceSink>,
    pub trace_sockets: bool,
    /// What start-up limit errors name (the worker's or test's file).
    pub name: String,
}

/// Set by V8's near-heap-limit callback; the limit is then raised a little
/// so the script can be terminated cleanly instead of crashing the process.
struct HeapGuard {
    hit: AtomicBool,
    handle: v8::IsolateHandle,
}

unsafe extern "C" fn near_heap_limit(
    data: *mut std::ffi::c_void,
    current: usize,
    _initial: usize,
) -> usize {
    // SAFETY: `data` is the `HeapGuard` owned by the runtime, alive while the isolate is.
    let guard = unsafe { &*(data as *const HeapGuard) };
    // Headroom once per entry, enough for one large allocation in flight
    // to finish so that the termination can take effect at the next
    // interrupt check; a second call in the same entry gets none (V8 then
    // ends the process: an isolate out of memory cannot be recovered).
    if guard.hit.swap(true, Ordering::AcqRel) {
        return current;
    }
    guard.handle.terminate_execution();
    (current + current / 4).max(HEAP_HEADROOM)
}

/// How often the loop looks for tasks V8 posted while work is outstanding.
pub(super) const PLATFORM_POLL: Duration = Duration::from_millis(2);

/// The heap limit granted once when a script reaches its own, so that it
/// can be terminated cleanly rather than fail inside V8.
const HEAP_HEADROOM: usize = 2 << 30;

/// Rejections nobody handled by the end of a task, reported after it
/// (HTML's "unhandled promise rejections"), set by V8's callback.
#[derive(Default)]
pub struct Unhandled(std::cell::RefCell<Vec<(v8::Global<v8::Promise>, v8::Global<v8::Value>)>>);

extern "C" fn promise_reject(message: v8::PromiseRejectMessage) {
    let promise = message.get_promise();
    v8::callback_scope!(unsafe scope, &message);
    let Some(unhandled) = scope.get_slot::<Rc<Unhandled>>().cloned() else {
        return;
    };
    match message.get_event() {
        v8::PromiseRejectEvent::PromiseRejectWithNoHandler => {
            let value = message
                .get_value()
                .unwrap_or_else(|| v8::undefined(scope).into());
            let entry = (
                v8::Global::new(scope, promise),
                v8::Global::new(scope, value),
            );
            unhandled.0.borrow_mut().push(entry);
        }
        v8::PromiseRejectEvent::PromiseHandlerAddedAfterReject => {
            unhandled
                .0
                .borrow_mut()
                .retain(|(p, _)| v8::Local::new(scope, p) != promise);
        }
        _ => {}
    }
}

pub struct JsRuntime {
    // Field order matters: the isolate must drop before the heap guard.
    pub(super) isolate: v8::OwnedIsolate,
    pub(super) globals: Globals,
    pub(super) tasks: mpsc::UnboundedReceiver<Task>,
    pub(super) state: SharedState,
    pending: Vec<Pending>,
    watchdog: Watchdog,
    /// CPU time one entry may use (a script run lowers it to what is left
    /// of the file's timeout before each entry).
    pub(super) cpu_limit: Duration,
    budgets: Budgets,
    /// The request of the last task: its microtasks are its work too.
    last_request: Option<RequestId>,
    heap_limit: usize,
    heap: Box<HeapGuard>,
    /// The last limit a task hit (a script run stops at the first).
    pub(super) limit_hit: Option<FetchError>,
    /// `Worker::settled` callers, answered once nothing but timers is left.
    settled: Vec<oneshot::Sender<()>>,
}

impl JsRuntime {
    pub fn new(options: &WorkerOptions) -> Result<JsRuntime, StartError> {
        let setup = Setup {
            flags: &options.flags,
            cpu_limit: options.cpu_limit,
            heap_limit: options.heap_limit,
            trace: options.trace.clone(),
            trace_sockets: options.trace.is_some(),
            name: options.main.display().to_string(),
        };
        Self::create(&setup, |isolate| entry::start_worker(isolate, options))
    }

    /// An isolate from the snapshot with the limits and state of `setup`;
    /// `start` makes the context and runs what the runtime starts with.
    pub(super) fn create(
        setup: &Setup,
        start: impl FnOnce(&mut v8::OwnedIsolate) -> Result<Globals, StartError>,
    ) -> Result<JsRuntime, StartError> {
        platform::init();
        // Buffers get their own budget of the same size as the heap.
        let params = bootstrap::create_params()
            .heap_limits(0, setup.heap_limit)
            .array_buffer_allocator(memory::allocator(setup.heap_limit));
        let mut isolate = v8::Isolate::new(params);
        isolate.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
        let heap = Box::new(HeapGuard {
            hit: AtomicBool::new(false),
            handle: isolate.thread_safe_handle(),
        });
        isolate.add_near_heap_limit_callback(
            near_heap_limit,
            &*heap as *const HeapGuard as *mut std::ffi::c_void,
        );
        let (tx, tasks) = mpsc::unbounded_channel();
        let mut state = State::new(
            tx,
            WsConfig::from_resolved(setup.flags),
            setup.flags.to_json(),
        );
        state.trace = setup.trace.clone();
        state.trace_sockets = setup.trace_sockets;
        let state: SharedState = Rc::new(RefCell::new(state));
        isolate.set_slot(state.clone());
        isolate.set_slot(SharedModuleMap::default());
        isolate.set_slot(Rc::new(Unhandled::default()));
        isolate.set_promise_reject_callback(promise_reject);
        let watchdog = Watchdog::new(isolate.thread_safe_handle());
        // Start-up (the module's top level) is limited like any other entry.
        watchdog.arm(setup.cpu_limit);
        let started = start(&mut isolate);
        let cpu = watchdog.disarm();
        if cpu || heap.hit.load(Ordering::Acquire) {
            let what = if cpu { "CPU time" } else { "memory" };
            return Err(StartError::Limit(format!(
                "{} exceeded the {what} limit while starting (evaluating its top level)",
                setup.name
            )));
        }
        let globals = started?;
        Ok(JsRuntime {
            isolate,
            globals,
            tasks,
            state,
            pending: vec![],
            watchdog,
            cpu_limit: setup.cpu_limit,
            budgets: Budgets::default(),
            last_request: None,
            heap_limit: setup.heap_limit,
            heap,
            limit_hit: None,
            settled: vec![],
        })
    }

    /// Serve commands and tasks until the command channel closes.
    pub async fn run(&mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        loop {
            // V8's own work (async WebAssembly compilation, FinalizationRegistry
            // cleanup) finishes on its threads and posts a task to this one
            // without waking it: poll while such work, or a request, waits.
            let poll = self.isolate.has_pending_background_tasks() || !self.pending.is_empty();
            tokio::select! {
                biased;
                Some(task) = self.tasks.recv() => self.run_task(task),
                command = commands.recv() => match command {
                    Some(Command::Fetch(request, respond)) => self.start_fetch(request, respond),
                    Some(Command::Settled(tx)) => self.settled.push(tx),
                    None => return,
                },
                _ = tokio::time::sleep(PLATFORM_POLL), if poll => {}
            }
            self.pump_platform();
            self.checkpoint();
            if !self.settled.is_empty()
                && self.pending.is_empty()
                && self.tasks.is_empty()
                && self.state.borrow().sockets.is_empty()
            {
                for tx in self.settled.drain(..) {
                    let _ = tx.send(());
                }
            }
        }
    }

    /// Run the tasks V8 posted to this thread; true if any ran.
    pub(super) fn pump_platform(&mut self) -> bool {
        let platform = v8::V8::get_current_platform();
        let mut ran = false;
        self.watchdog.arm(self.cpu_limit);
        while v8::Platform::pump_message_loop(&platform, &self.isolate, false) {
            ran = true;
        }
        if self.watchdog.disarm() || self.isolate.is_execution_terminating() {
            self.isolate.cancel_terminate_execution();
        }
        ran
    }

    /// Run `f` with a fresh handle scope in the context, as work of
    /// `request`, under the CPU watchdog (what the request has left of its
    /// budget) and the heap limit. A limit hit ends the request.
    pub(super) fn enter<R>(
        &mut self,
        request: Option<RequestId>,
        f: impl FnOnce(&mut v8::PinScope, &Globals) -> R,
    ) -> Result<R, FetchError> {
        self.state.borrow_mut().current_request = request;
        self.last_request = request;
        self.watchdog
            .arm(self.budgets.remaining(request, self.cpu_limit));
        let started = std::time::Instant::now();
        let result = {
            let isolate = &mut self.isolate;
            v8::scope_with_context!(scope, isolate, &self.globals.context);
            f(scope, &self.globals)
        };
        let cpu = self.watchdog.disarm();
        self.budgets.charge(request, started.elapsed());
        self.state.borrow_mut().current_request = None;
        let heap = self.heap.hit.swap(false, Ordering::AcqRel);
        if heap {
            // The callback raised the limit to let the script unwind; put
            // the configured one back so repeated offenders stay bounded.
            // V8 restores it only below the current usage: collect first.
            self.isolate.low_memory_notification();
            self.isolate
                .remove_near_heap_limit_callback(near_heap_limit, self.heap_limit);
            let data = &*self.heap as *const HeapGuard as *mut std::ffi::c_void;
            self.isolate
                .add_near_heap_limit_callback(near_heap_limit, data);
        }
        if cpu || heap || self.isolate.is_execution_terminating() {
            self.isolate.cancel_terminate_execution();
            let limit = if heap {
                FetchError::MemoryLimit
            } else {
                FetchError::CpuLimit
            };
            if let Some(request) = request {
                self.abandon(request, &limit);
            }
            self.limit_hit = Some(limit.clone());
            return Err(limit);
        }
        Ok(result)
    }

    /// `request` hit a limit: answer it with `error` and stop its timers.
    fn abandon(&mut self, request: RequestId, error: &FetchError) {
        self.state.borrow_mut().cancel_timers_of(request);
        let (done, still): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| p.request == request);
        self.pending = still;
        for p in done {
            let _ = p.respond.send(Err(error.clone()));
        }
        self.budgets.forget(request);
    }

    pub(super) fn run_task(&mut self, task: Task) {
        match task {
            Task::Timer(id) => {
                let request = self
                    .state
                    .borrow_mut()
                    .timers
                    .remove(&id)
                    .and_then(|(_, r)| r);
                let outcome = self.enter(request, |scope, g| {
                    let args = [v8::Integer::new_from_unsigned(scope, id).into()];
                    call_internal(scope, g, "fireTimer", &args)
                });
                // A script run reports limits in its result instead.
                if let Err(e) = outcome
                    && self.globals.worker.is_some()
                {
                    eprintln!("✘ timer: {e}");
                }
            }
            Task::WsEvent { id, event, done } => {
                // The event's state becomes visible in the task that fires it.
                let request = {
                    let state = self.state.borrow();
                    let socket = state.sockets.get(&id);
                    if let Some(socket) = socket {
                        socket.ws.release_held();
                        if let Some(sink) = state.socket_trace() {
                            sink.push(event_entry(id, &event, socket.ws.ready_state() as u8));
                        }
                    }
                    socket.and_then(|s| s.request)
                };
                let outcome = self.enter(request, |scope, g| {
                    let args = ws_event_args(scope, id, event);
                    call_internal(scope, g, "wsEvent", &args)
                });
                if let Err(e) = outcome
                    && self.globals.worker.is_some()
                {
                    eprintln!("Uncaught Error: {e}");
                }
                let _ = done.send(());
            }
            Task::SocketDone(id) => {
                self.state.borrow_mut().sockets.remove(&id);
            }
        }
    }

    fn start_fetch(&mut self, request: FetchRequest, respond: Respond) {
        let id = self.budgets.new_request();
        let outcome = self.enter(Some(id), |scope, g| dispatch_fetch(scope, g, request));
        match outcome {
            Ok(Ok(promise)) => self.pending.push(Pending {
                promise,
                respond,
                request: id,
            }),
            Ok(Err(e)) => {
                let _ = respond.send(Err(FetchError::Exception(e)));
            }
            Err(limit) => {
                let _ = respond.send(Err(limit));
            }
        }
    }

    /// Microtasks, then answer every request whose response has settled.
    pub(super) fn checkpoint(&mut self) {
        let request = self.last_request;
        if let Err(limit) = self.enter(request, |scope, _| scope.perform_microtask_checkpoint()) {
            // V8 dropped the whole microtask queue: work of no request can
            // be told apart from it, so every request still waiting fails.
            for p in self.pending.drain(..) {
                let _ = p.respond.send(Err(limit.clone()));
            }
            return;
        }
        self.report_unhandled_rejections();
        // A client that went away needs no answer.
        self.pending.retain(|p| !p.respond.is_closed());
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let asked: Vec<RequestId> = pending.iter().map(|p| p.request).collect();
        let state = self.state.clone();
        let still = self
            .enter(None, |scope, _| {
                let mut still = vec![];
                for p in pending {
                    let promise = v8::Local::new(scope, &p.promise);
                    match promise.state() {
                        v8::PromiseState::Pending => still.push(p),
                        v8::PromiseState::Fulfilled => {
                            let parts = promise.result(scope);
                            let _ = p.respond.send(read_response(scope, parts, &state));
                        }
                        v8::PromiseState::Rejected => {
                            let reason = promise.result(scope);
                            let message = v8::Exception::create_message(scope, reason);
                            let error = JsError::from_exception(scope, reason, Some(message));
                            let _ = p.respond.send(Err(FetchError::Exception(error)));
                        }
                    }
                }
                still
            })
            .unwrap_or_default();
        self.pending = still;
        // An answered request keeps its budget only while its timers or
        // sockets (waitUntil work) may still run.
        for request in asked {
            if !self.pending.iter().any(|p| p.request == request)
                && !self.state.borrow().has_work_for(request)
            {
                self.budgets.forget(request);
            }
        }
        // Nothing left that could ever settle them: no task queued, no
        // timer, no socket. Workers answers such requests the same way.
        if self.is_idle() {
            for p in self.pending.drain(..) {
                let _ = p.respond.send(Err(FetchError::NeverResponds));
            }
        }
    }

    /// Nothing is left that could run: no task queued, no timer, no socket,
    /// no work of V8's own.
    pub(super) fn is_idle(&mut self) -> bool {
        let idle = {
            let state = self.state.borrow();
            state.timers.is_empty() && state.sockets.is_empty()
        };
        // V8 posts its result before a background task ends, so with none
        // pending, one more pump sees everything that could still come.
        idle && self.tasks.is_empty()
            && !self.isolate.has_pending_background_tasks()
            && !self.pump_platform()
    }

    /// Print the rejections that no handler took by the end of the task (in
    /// a script run: tell the testharness, for which they are errors).
    fn report_unhandled_rejections(&mut self) {
        let Some(unhandled) = self.isolate.get_slot::<Rc<Unhandled>>().cloned() else {
            return;
        };
        let rejected = std::mem::take(&mut *unhandled.0.borrow_mut());
        if rejected.is_empty() {
            return;
        }
        let _ = self.enter(None, |scope, g| {
            for (_, reason) in rejected {
                let reason = v8::Local::new(scope, reason);
                let message = v8::Exception::create_message(scope, reason);
                let error = JsError::from_exception(scope, reason, Some(message));
                let text = format!("Unhandled rejection: {error}");
                if g.worker.is_none() {
                    let text = v8::String::new(scope, &text).unwrap();
                    if let Err(e) = call_harness(scope, g, "uncaught", &[text.into()]) {
                        eprintln!("hearth bug: testharness.uncaught() threw: {e}");
                    }
                } else {
                    eprintln!("Uncaught (in promise) {error}");
                }
            }
        });
    }
}

/// A dispatched event as a trace entry (with `readyState` at dispatch).
fn event_entry(socket: u32, event: &Event, ready_state: u8) -> TraceEntry {
    let (kind, code, reason, was_clean, data) = match event {
        Event::Open => ("open", None, None, None, None),
        Event::Message(m) => ("message", None, None, None, Some(tap::describe_message(m))),
        Event::Error { message } => ("error", None, Some(message.clone()), None, None),
        Event::Close {
            code,
            reason,
            was_clean,
        } => (
            "close",
            Some(*code),
            Some(reason.clone()),
            Some(*was_clean),
            None,
        ),
    };
    TraceEntry::Event {
        socket,
        kind: kind.into(),
        ready_state,
        code,
        reason,
        was_clean,
        data,
    }
}
