//! [`WebSocket`]: the handle a script (later: the JS binding) holds.
//!
//! It owns one [`Machine`] and drives it: calls from the script run the
//! machine synchronously and hand frames to the [`Link`]; peer inputs are
//! taken from the inbound queue only by [`WebSocket::next_event`], which the
//! event loop awaits. So every event is a task of its own (never dispatched
//! inside `send()`/`close()`, never a microtask), state changes land exactly
//! when their event is handed out, and anything that arrives before
//! `accept()` waits in the queue, in order.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, oneshot};

use super::config::WsConfig;
use super::error::WsError;
use super::event::{Event, Message, PeerInput};
use super::link::{InboundRx, SharedLink};
use super::machine::{Action, Machine, ReadyState};

/// One WebSocket end. Cloning gives another handle to the same end.
#[derive(Clone)]
pub struct WebSocket {
    inner: Arc<Inner>,
}

struct Inner {
    machine: Mutex<Machine>,
    /// `None` while an outgoing connection is still being made.
    link: Mutex<Option<SharedLink>>,
    inbound: tokio::sync::Mutex<InboundRx>,
    /// Events produced outside `next_event` (by `close()` or the connector).
    ready: Mutex<VecDeque<Event>>,
    /// Wakes `next_event` for `accept()` and for `ready` events.
    wake: Notify,
    info: Mutex<SocketInfo>,
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
        f.debug_struct("WebSocket").field("ready_state", &self.ready_state()).finish()
    }
}

impl WebSocket {
    pub(crate) fn new(config: WsConfig, inbound: InboundRx, link: Option<SharedLink>) -> Self {
        Self::with_machine(Machine::new(config), inbound, link)
    }

    pub(crate) fn with_machine(machine: Machine, inbound: InboundRx, link: Option<SharedLink>) -> Self {
        WebSocket {
            inner: Arc::new(Inner {
                machine: Mutex::new(machine),
                link: Mutex::new(link),
                inbound: tokio::sync::Mutex::new(inbound),
                ready: Mutex::new(VecDeque::new()),
                wake: Notify::new(),
                info: Mutex::new(SocketInfo::default()),
            }),
        }
    }

    pub fn ready_state(&self) -> ReadyState {
        self.inner.machine.lock().unwrap().ready_state()
    }

    pub fn config(&self) -> WsConfig {
        *self.inner.machine.lock().unwrap().config()
    }

    pub fn info(&self) -> SocketInfo {
        self.inner.info.lock().unwrap().clone()
    }

    pub fn set_info(&self, info: SocketInfo) {
        *self.inner.info.lock().unwrap() = info;
    }

    /// `accept({ allowHalfOpen })`: start delivering what the peer sent.
    pub fn accept(&self, allow_half_open: bool) -> Result<(), WsError> {
        self.inner.machine.lock().unwrap().accept(allow_half_open)?;
        self.inner.wake.notify_one();
        Ok(())
    }

    /// `send(message)`.
    pub fn send(&self, message: Message) -> Result<(), WsError> {
        let actions = self.inner.machine.lock().unwrap().send(message)?;
        self.perform(actions);
        Ok(())
    }

    /// `close(code?, reason?)`.
    pub fn close(&self, code: Option<i64>, reason: Option<&str>) -> Result<(), WsError> {
        let actions = self.inner.machine.lock().unwrap().close(code, reason)?;
        self.perform(actions);
        Ok(())
    }

    /// Server shutdown: close with 1001 "going away" (RFC 6455 §7.4.1),
    /// accepting first if the script never did, so the peer is told.
    pub fn go_away(&self) {
        let actions = self.with_machine_mut(|m| {
            let _ = m.accept(false);
            m.close(Some(i64::from(super::close::GOING_AWAY)), Some("Server is shutting down.")).unwrap_or_default()
        });
        self.inner.wake.notify_one();
        self.perform(actions);
    }

    /// `bufferedAmount`: payload bytes queued but not yet on the wire.
    pub fn buffered_amount(&self) -> usize {
        self.link().map_or(0, |l| l.buffered_amount())
    }

    fn link(&self) -> Option<SharedLink> {
        self.inner.link.lock().unwrap().clone()
    }

    pub(crate) fn set_link(&self, link: SharedLink) {
        *self.inner.link.lock().unwrap() = Some(link);
    }

    pub(crate) fn with_machine_mut<R>(&self, f: impl FnOnce(&mut Machine) -> R) -> R {
        f(&mut self.inner.machine.lock().unwrap())
    }

    /// Carry out actions that came from a script call or the connector:
    /// frames go out without waiting, events queue for `next_event`.
    pub(crate) fn perform(&self, actions: Vec<Action>) {
        let events = self.apply(actions, false);
        if !events.is_empty() {
            self.inner.ready.lock().unwrap().extend(events.into_iter().map(|(e, _)| e));
            self.inner.wake.notify_one();
        }
    }

    /// Send and finish on the link; return the events with, when asked, a
    /// receipt per frame so the caller can wait until they are on the wire.
    fn apply(&self, actions: Vec<Action>, want_receipts: bool) -> Vec<(Event, Vec<oneshot::Receiver<()>>)> {
        let link = self.link();
        let mut receipts = vec![];
        let mut events = vec![];
        for action in actions {
            match action {
                Action::Send(frame) => {
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
                    if let Some(link) = &link {
                        link.finish();
                    }
                }
                Action::Dispatch(event) => events.push((event, std::mem::take(&mut receipts))),
            }
        }
        events
    }

    /// The next event for the script, or `None` once nothing more can happen.
    ///
    /// Await it from one task per socket (the event loop's). Not cancel-safe
    /// once an input is taken: dropping the future while it waits for a reply
    /// to be flushed loses that input's event.
    pub async fn next_event(&self) -> Option<Event> {
        loop {
            if let Some(event) = self.inner.ready.lock().unwrap().pop_front() {
                return Some(event);
            }
            let (accepted, done) = self.with_machine_mut(|m| (m.is_accepted(), m.is_done()));
            if done {
                return None;
            }
            if !accepted {
                self.inner.wake.notified().await;
                continue;
            }
            let delivery = {
                let mut inbound = self.inner.inbound.lock().await;
                tokio::select! {
                    d = inbound.recv() => d,
                    _ = self.inner.wake.notified() => continue,
                }
            };
            let input = delivery.map_or(PeerInput::Disconnected, |d| d.input);
            let actions = self.with_machine_mut(|m| m.on_peer(input));
            for (event, receipts) in self.apply(actions, true) {
                // What the machine sent in answer (the auto-reply Close) is on
                // the wire before the handler runs. A transport that died has
                // nothing left to wait for.
                for receipt in receipts {
                    let _ = receipt.await;
                }
                self.inner.ready.lock().unwrap().push_back(event);
            }
        }
    }
}
