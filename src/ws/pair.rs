//! The in-process pair (`new WebSocketPair()`): two ends joined in memory.
//!
//! Each end's outgoing frames become the other end's peer inputs, so both
//! ends run the same [`Machine`](super::Machine) rules as a network socket:
//! echo of code and reason, simultaneous close, buffering before `accept()`.

use std::sync::Mutex;

use tokio::sync::{mpsc, oneshot};

use super::config::WsConfig;
use super::event::{Outgoing, PeerInput};
use super::link::{Delivery, InboundTx, Link};
use super::socket::WebSocket;

/// Create two joined ends, both OPEN and not yet accepted.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use hearth::ws::{pair, Event, Message, WsConfig};
/// let (client, server) = pair(WsConfig::current(true));
/// client.accept(false).unwrap();
/// server.accept(false).unwrap();
/// client.send(Message::Text("hi".into())).unwrap();
/// assert_eq!(server.next_event().await, Some(Event::Message(Message::Text("hi".into()))));
/// # });
/// ```
pub fn pair(config: WsConfig) -> (WebSocket, WebSocket) {
    let (to_a, a_rx) = mpsc::unbounded_channel();
    let (to_b, b_rx) = mpsc::unbounded_channel();
    let a = WebSocket::new(config, a_rx, Some(std::sync::Arc::new(PairLink::new(to_b))));
    let b = WebSocket::new(config, b_rx, Some(std::sync::Arc::new(PairLink::new(to_a))));
    a.set_partner(&b);
    b.set_partner(&a);
    (a, b)
}

/// One end's view of its peer: the peer's inbound queue.
pub(crate) struct PairLink {
    peer: Mutex<Option<InboundTx>>,
}

impl PairLink {
    fn new(peer: InboundTx) -> Self {
        PairLink {
            peer: Mutex::new(Some(peer)),
        }
    }

    /// Take the peer's inbound queue (to feed it from the network instead).
    pub(crate) fn take_peer(&self) -> Option<InboundTx> {
        self.peer.lock().unwrap().take()
    }
}

impl Link for PairLink {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn send(&self, frame: Outgoing, flushed: Option<oneshot::Sender<()>>) {
        let input = match frame {
            Outgoing::Message(m) => PeerInput::Message(m),
            Outgoing::Close(f) => PeerInput::Close(f),
        };
        if let Some(peer) = self.peer.lock().unwrap().as_ref() {
            // A peer that is gone has nobody left to tell.
            let _ = peer.send(Delivery::new(input));
        }
        if let Some(flushed) = flushed {
            let _ = flushed.send(());
        }
    }

    fn finish(&self) {
        // Dropping the sender is the in-memory TCP FIN: the peer sees the
        // queue end after everything already sent.
        self.peer.lock().unwrap().take();
    }

    fn buffered_amount(&self) -> usize {
        0
    }
}
