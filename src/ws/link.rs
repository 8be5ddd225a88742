//! The seam between a [`WebSocket`](super::WebSocket) handle and its transport.
//!
//! Outbound, a handle gives frames to its [`Link`]; inbound, the transport
//! queues [`Delivery`]s that the handle feeds to its state machine once the
//! script has called `accept()`.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot};

use super::event::{Outgoing, PeerInput};

/// One peer input, with the inbound credit it holds until processed (network
/// transports stop reading while the credit is spent: TCP backpressure).
#[derive(Debug)]
pub struct Delivery {
    pub input: PeerInput,
    /// Held, never read: dropping it gives the credit back to the reader.
    #[allow(dead_code)]
    pub credit: Option<OwnedSemaphorePermit>,
}

impl Delivery {
    pub fn new(input: PeerInput) -> Self {
        Delivery {
            input,
            credit: None,
        }
    }
}

pub type InboundTx = mpsc::UnboundedSender<Delivery>;
pub type InboundRx = mpsc::UnboundedReceiver<Delivery>;

/// Where an end's outgoing frames go.
pub trait Link: Send + Sync + 'static {
    /// For [`couple`](super::net::couple), which must find a pair end's peer queue.
    fn as_any(&self) -> &dyn std::any::Any;

    /// Queue `frame` for the peer; `flushed` fires once it is on the wire.
    fn send(&self, frame: Outgoing, flushed: Option<oneshot::Sender<()>>);
    /// End the transport after what was queued (TCP FIN for the network).
    fn finish(&self);
    /// Bytes of message payload queued but not yet written (`bufferedAmount`).
    fn buffered_amount(&self) -> usize;
    /// For a network link: cancelled once the connection is over.
    fn done(&self) -> Option<tokio_util::sync::CancellationToken> {
        None
    }
}

pub type SharedLink = Arc<dyn Link>;
