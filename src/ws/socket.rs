//! [`WebSocket`]: the handle to one end, held by a script through the JS binding (`src/runtime/ops/ws.rs`) or by Rust code.
//!
//! It owns one [`Machine`] and drives it: calls from the script run the
//! machine synchronously and hand frames to the [`Link`](super::link::Link);
//! peer inputs are taken from the inbound queue only by
//! [`WebSocket::next_event`], which the event loop awaits. So every event is
//! a task of its own (never dispatched inside `send()`/`close()`, never a
//! microtask), and anything that arrives before `accept()` waits in the
//! queue, in order.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Notify, oneshot};

use super::config::WsConfig;
use super::error::WsError;
use super::event::{Event, Message, PeerInput};
use super::link::{InboundRx, SharedLink};
use super::machine::{Action, Machine, ReadyState};
use super::tap::{FrameTap, Tapped};

/// One WebSocket end. Cloning gives another handle to the same end.
#[derive(Clone)]
pub struct WebSocket {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    /// `None` while an outgoing connection is still being made.
    link: Mutex<Option<SharedLink>>,
    consumer: tokio::sync::Mutex<Consumer>,
    /// Wakes `next_event` for `accept()` and for new `ready` events.
    wake: Notify,
    info: Mutex<SocketInfo>,
    /// For a pair end: the other end (weak: each end lives on its own).
    partner: Mutex<std::sync::Weak<Inner>>,
    /// Told about every frame sent and every peer input processed (traces).
    tap: Mutex<Option<FrameTap>>,
}

/// Everything that must change together: the machine and the events its
/// script-side transitions produced (so "done" and "nothing queued" are
/// observed atomically).
struct State {
    machine: Machine,
    ready: VecDeque<Event>,
    /// While an event waits for its reply to be flushed, the script still
    /// sees the state from before that input (WHATWG: the state changes in
    /// the task that fires the event).
    veil: Option<ReadyState>,
}

/// The side only `next_event` touches.
struct Consumer {
    inbound: InboundRx,
    /// Events waiting for what was sent before them to reach the wire. Kept
    /// here, not in a local, so a cancelled `next_event` loses nothing.
    staged: VecDeque<Staged>,
}

struct Staged {
    event: Event,
    receipts: Vec<oneshot::Receiver<()>>,
}

/// See [`WebSocket::downgrade`].
#[derive(Clone)]
pub struct WeakWebSocket(std::sync::Weak<Inner>);

impl WeakWebSocket {
    pub fn upgrade(&self) -> Option<WebSocket> {
        self.0.upgrade().map(|inner| WebSocket { inner })
    }
}

/// What the handshake negotiated (`url`, `protocol`, `extensions` in JS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SocketInfo {
    pub url: Option<String>,
    pub protocol: String,
    pub extensions: String,
}

impl std::fmt::Debug for WebSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocket")
            .field("ready_state", &self.ready_state())
            .finish()
    }
}

impl WebSocket {
    pub(crate) fn new(config: WsConfig, inbound: InboundRx, link: Option<SharedLink>) -> Self {
        Self::with_machine(Machine::new(config), inbound, link)
    }

    pub(crate) fn with_machine(
        machine: Machine,
        inbound: InboundRx,
        link: Option<SharedLink>,
    ) -> Self {
        WebSocket {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    machine,
                    ready: VecDeque::new(),
                    veil: None,
                }),
                link: Mutex::new(link),
                consumer: tokio::sync::Mutex::new(Consumer {
                    inbound,
                    staged: VecDeque::new(),
                }),
                wake: Notify::new(),
                info: Mutex::new(SocketInfo::default()),
                partner: Mutex::new(std::sync::Weak::new()),
                tap: Mutex::new(None),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap()
    }

    pub fn ready_state(&self) -> ReadyState {
        let state = self.state();
        state.veil.unwrap_or_else(|| state.machine.ready_state())
    }

    pub fn config(&self) -> WsConfig {
        *self.state().machine.config()
    }

    pub fn info(&self) -> SocketInfo {
        self.inner.info.lock().unwrap().clone()
    }

    /// Watch this end's frames (see [`tap`](super::tap)).
    pub fn set_tap(&self, tap: FrameTap) {
        *self.inner.tap.lock().unwrap() = Some(tap);
    }

    fn tap(&self, what: Tapped<'_>) {
        let tap = self.inner.tap.lock().unwrap().clone();
        if let Some(tap) = tap {
            tap(what);
        }
    }

    pub fn set_info(&self, info: SocketInfo) {
        *self.inner.info.lock().unwrap() = info;
    }

    /// `accept({ allowHalfOpen })`: start delivering what the peer sent.
    pub fn accept(&self, allow_half_open: bool) -> Result<(), WsError> {
        self.state().machine.accept(allow_half_open)?;
        self.inner.wake.notify_one();
        Ok(())
    }

    /// `send(message)`.
    pub fn send(&self, message: Message) -> Result<(), WsError> {
        self.transition(|m| m.send(message))
    }

    /// `close(code?, reason?)`.
    pub fn close(&self, code: Option<i64>, reason: Option<&str>) -> Result<(), WsError> {
        self.transition(|m| m.close(code, reason))
    }

    /// Server shutdown: close with 1001 "going away" (RFC 6455 §7.4.1),
    /// accepting first if the script never did, so the peer is told.
    pub fn go_away(&self) {
        let _ = self.transition(|m| {
            let _ = m.accept(false);
            m.close(
                Some(i64::from(super::close::GOING_AWAY)),
                Some("Server is shutting down."),
            )
        });
        self.inner.wake.notify_one();
    }

    /// Resolves once the network connection under this socket is over
    /// (immediately for a socket with no network link).
    pub async fn transport_done(&self) {
        if let Some(done) = self.link().and_then(|l| l.done()) {
            done.cancelled().await;
        }
    }

    /// A handle that does not keep the socket alive.
    pub fn downgrade(&self) -> WeakWebSocket {
        WeakWebSocket(Arc::downgrade(&self.inner))
    }

    /// `bufferedAmount`: payload bytes queued but not yet on the wire.
    pub fn buffered_amount(&self) -> usize {
        self.link().map_or(0, |l| l.buffered_amount())
    }

    pub(crate) fn link(&self) -> Option<SharedLink> {
        self.inner.link.lock().unwrap().clone()
    }

    pub(crate) fn set_partner(&self, other: &WebSocket) {
        *self.inner.partner.lock().unwrap() = Arc::downgrade(&other.inner);
    }

    /// The other end of a pair, if this is a pair end and it still exists.
    pub fn partner(&self) -> Option<WebSocket> {
        self.inner
            .partner
            .lock()
            .unwrap()
            .upgrade()
            .map(|inner| WebSocket { inner })
    }

    /// Run `before`, then take whatever waits in the inbound queue (the
    /// partner's frames nobody consumed), without processing it. Waits for
    /// any `next_event` in progress to be dropped first.
    pub(crate) async fn drain_inbound_after(&self, before: impl FnOnce()) -> Vec<PeerInput> {
        let mut consumer = self.inner.consumer.lock().await;
        before();
        let mut out = vec![];
        while let Ok(d) = consumer.inbound.try_recv() {
            out.push(d.input);
        }
        out
    }

    pub(crate) fn set_link(&self, link: SharedLink) {
        *self.inner.link.lock().unwrap() = Some(link);
    }

    /// [`set_link`](Self::set_link), excluding the script's calls meanwhile:
    /// each frame it sends goes entirely to the old link or to the new one.
    /// (Not from inside [`transition`](Self::transition), which holds the lock.)
    pub(crate) fn swap_link(&self, link: SharedLink) {
        let _state = self.state();
        self.set_link(link);
    }

    /// Run a script-side transition: the machine changes, frames go out and
    /// events are queued for `next_event`, all under one lock.
    pub(crate) fn transition<E>(
        &self,
        f: impl FnOnce(&mut Machine) -> Result<Vec<Action>, E>,
    ) -> Result<(), E> {
        let mut state = self.state();
        let actions = f(&mut state.machine)?;
        let events = self.apply(actions, false);
        let woke = !events.is_empty();
        state.ready.extend(events.into_iter().map(|s| s.event));
        drop(state);
        if woke {
            self.inner.wake.notify_one();
        }
        Ok(())
    }

    /// Send and finish on the link; return the events with, when asked, a
    /// receipt per frame sent before each, to wait until they are on the wire.
    fn apply(&self, actions: Vec<Action>, want_receipts: bool) -> Vec<Staged> {
        let link = self.link();
        let mut receipts = vec![];
        let mut events = vec![];
        for action in actions {
            match action {
                Action::Send(frame) => {
                    self.tap(Tapped::Sent(&frame));
                    let (tx, rx) = if want_receipts {
                        let (tx, rx) = oneshot::channel();
                        (Some(tx), Some(rx))
                    } else {
                        (None, None)
                    };
                    if let Some(link) = &link {
                        link.send(frame, tx);
                    }
                    receipts.extend(rx);
                }
                Action::Finish => {
                    self.tap(Tapped::SentFin);
                    if let Some(link) = &link {
                        link.finish();
                    }
                }
                Action::Dispatch(event) => events.push(Staged {
                    event,
                    receipts: std::mem::take(&mut receipts),
                }),
            }
        }
        events
    }

    /// The next event for the script, or `None` once nothing more can happen.
    ///
    /// Await it from one task per socket (the event loop's). Cancel-safe: an
    /// input taken off the queue is staged, and the next call resumes it.
    pub async fn next_event(&self) -> Option<Event> {
        self.next_event_inner(false).await
    }

    /// [`next_event`](Self::next_event) for an event loop that dispatches
    /// later: `readyState` keeps showing the state from before the event
    /// until [`release_held`](Self::release_held), called in the task that
    /// fires it (WHATWG: the state changes in that task).
    pub async fn next_event_held(&self) -> Option<Event> {
        self.next_event_inner(true).await
    }

    /// The held event is being dispatched: its state becomes visible.
    pub fn release_held(&self) {
        self.state().veil = None;
    }

    async fn next_event_inner(&self, hold: bool) -> Option<Event> {
        let mut consumer = self.inner.consumer.lock().await;
        loop {
            if let Some(staged) = consumer.staged.front_mut() {
                // What the machine sent in answer (the auto-reply Close) is on
                // the wire before the handler runs. A receipt is dropped only
                // once awaited; a transport that died has nothing to wait for.
                while let Some(receipt) = staged.receipts.last_mut() {
                    let _ = receipt.await;
                    staged.receipts.pop();
                }
                // The input's first event is out: its state is now visible
                // (or, held, once the caller dispatches it).
                if !hold {
                    self.state().veil = None;
                }
                return consumer.staged.pop_front().map(|s| s.event);
            }
            enum Next {
                Event(Event),
                Done,
                WaitForAccept,
                Read,
            }
            let next = {
                let mut state = self.state();
                if let Some(event) = state.ready.pop_front() {
                    Next::Event(event)
                } else if state.machine.is_done() {
                    Next::Done
                } else if !state.machine.is_accepted() {
                    Next::WaitForAccept
                } else {
                    Next::Read
                }
            };
            match next {
                Next::Event(event) => return Some(event),
                Next::Done => return None,
                Next::WaitForAccept => {
                    self.inner.wake.notified().await;
                    continue;
                }
                Next::Read => {}
            }
            let delivery = tokio::select! {
                d = consumer.inbound.recv() => d,
                _ = self.inner.wake.notified() => continue,
            };
            let input = delivery.map_or(PeerInput::Disconnected, |d| d.input);
            self.tap(Tapped::Received(&input));
            let mut state = self.state();
            let before = state.machine.ready_state();
            let actions = state.machine.on_peer(input);
            let staged = self.apply(actions, true);
            if (hold && !staged.is_empty()) || staged.iter().any(|s| !s.receipts.is_empty()) {
                state.veil = Some(before);
            }
            drop(state);
            consumer.staged.extend(staged);
        }
    }
}
