//! What the ops share with the event loop, kept in the isolate's slot.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use tokio::sync::{mpsc, oneshot};
use tokio::task::AbortHandle;

use super::requests::RequestId;
use super::trace::{Direction, TraceEntry, TraceSink};
use crate::ws::{Event, Tapped, WebSocket, WsConfig};

/// A unit of work for the event loop: one JavaScript callback, then a
/// microtask checkpoint.
pub enum Task {
    /// `internals.fireTimer(id)`.
    Timer(u32),
    /// `internals.wsEvent(id, ...)`; `done` lets the socket's pump fetch
    /// the next event only after this one was dispatched.
    WsEvent {
        id: u32,
        event: Event,
        done: oneshot::Sender<()>,
    },
    /// The socket will have no more events: forget it.
    SocketDone(u32),
}

pub struct State {
    pub tasks: mpsc::UnboundedSender<Task>,
    /// Each timer with the request that started it.
    pub timers: HashMap<u32, (AbortHandle, Option<RequestId>)>,
    /// The request whose work is running now (see `requests.rs`).
    pub current_request: Option<RequestId>,
    pub sockets: HashMap<u32, Socket>,
    next_socket: u32,
    pub ws_config: WsConfig,
    /// `Cloudflare.compatibilityFlags` as JSON.
    pub flags_json: String,
    /// Where console output goes instead of stdout/stderr, and, with
    /// `trace_sockets`, every socket's events and frames.
    pub trace: Option<TraceSink>,
    pub trace_sockets: bool,
    /// What the testharness reported (`ops.testReport`), as JSON.
    pub harness_report: Option<String>,
}

/// A WebSocket the script can see, and the task that feeds its events in.
pub struct Socket {
    pub ws: WebSocket,
    pub pump: AbortHandle,
    /// The request that created it: its events are that request's work.
    pub request: Option<RequestId>,
}

pub type SharedState = Rc<RefCell<State>>;

impl State {
    pub fn new(
        tasks: mpsc::UnboundedSender<Task>,
        ws_config: WsConfig,
        flags_json: String,
    ) -> Self {
        State {
            tasks,
            timers: HashMap::new(),
            current_request: None,
            sockets: HashMap::new(),
            next_socket: 1,
            ws_config,
            flags_json,
            trace: None,
            trace_sockets: false,
            harness_report: None,
        }
    }

    /// The sink socket events and frames are recorded in, if they are.
    pub fn socket_trace(&self) -> Option<&TraceSink> {
        self.trace.as_ref().filter(|_| self.trace_sockets)
    }

    /// Make `ws` visible to the script under a new id and start pumping its
    /// events into the loop, one at a time.
    pub fn register_socket(&mut self, ws: WebSocket) -> u32 {
        let id = self.next_socket;
        self.next_socket += 1;
        if let Some(sink) = self.socket_trace().cloned() {
            let endpoint = format!("ws#{id}");
            ws.set_tap(std::sync::Arc::new(move |tapped: Tapped<'_>| {
                let direction = match tapped {
                    Tapped::Received(_) => Direction::Received,
                    Tapped::Sent(_) | Tapped::SentFin => Direction::Sent,
                };
                sink.push(TraceEntry::Frame {
                    endpoint: endpoint.clone(),
                    direction,
                    frame: tapped.describe(),
                });
            }));
        }
        let tasks = self.tasks.clone();
        let pumped = ws.clone();
        let pump = tokio::task::spawn_local(async move {
            while let Some(event) = pumped.next_event_held().await {
                let (done, dispatched) = oneshot::channel();
                if tasks.send(Task::WsEvent { id, event, done }).is_err() {
                    return;
                }
                let _ = dispatched.await;
            }
            let _ = tasks.send(Task::SocketDone(id));
        })
        .abort_handle();
        self.sockets.insert(
            id,
            Socket {
                ws,
                pump,
                request: self.current_request,
            },
        );
        id
    }

    /// Whether a timer or socket still does work for `request`.
    pub fn has_work_for(&self, request: RequestId) -> bool {
        self.timers.values().any(|(_, r)| *r == Some(request))
            || self.sockets.values().any(|s| s.request == Some(request))
    }

    /// Stop the timers `request` started (its CPU budget is spent).
    pub fn cancel_timers_of(&mut self, request: RequestId) {
        self.timers.retain(|_, (handle, r)| {
            let keep = *r != Some(request);
            if !keep {
                handle.abort();
            }
            keep
        });
    }

    pub fn socket(&self, id: u32) -> Option<WebSocket> {
        self.sockets.get(&id).map(|s| s.ws.clone())
    }

    /// Hand a socket over to the server (a 101 response): the script no
    /// longer drives it from this loop.
    pub fn release_socket(&mut self, id: u32) -> Option<WebSocket> {
        let socket = self.sockets.remove(&id)?;
        socket.pump.abort();
        Some(socket.ws)
    }
}
