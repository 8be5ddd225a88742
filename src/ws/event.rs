//! What crosses the WebSocket core's boundaries: messages, the events a
//! script sees, and what a transport reports from the peer.

use bytes::Bytes;

use super::close::CloseFrame;

/// A complete WebSocket message (RFC 6455 §5.6: text is UTF-8, binary is bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(String),
    Binary(Bytes),
}

impl Message {
    /// Payload size in bytes; what `bufferedAmount` counts.
    pub fn len(&self) -> usize {
        match self {
            Message::Text(s) => s.len(),
            Message::Binary(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An event for the script, in dispatch order. When it is handed out, the
/// socket's `readyState` is already what the handler must see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An outgoing connection (`new WebSocket(url)`) is open.
    Open,
    Message(Message),
    /// WHATWG WebSockets §"fail the WebSocket connection": fired before the
    /// close event when hearth failed the connection for a protocol error.
    Error {
        message: String,
    },
    Close {
        code: u16,
        reason: String,
        was_clean: bool,
    },
}

/// What a transport reports from the peer. Inputs queue up until the script
/// calls `accept()` (WHATWG: events are dispatched as tasks, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerInput {
    Message(Message),
    /// A Close frame arrived (`None`: an empty one).
    Close(Option<CloseFrame>),
    /// The connection ended without a Close frame (TCP FIN or RST).
    Disconnected,
    /// The peer broke RFC 6455; hearth fails the connection with this code.
    Failed {
        code: u16,
        reason: String,
    },
}

/// What the core asks a transport to put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    Message(Message),
    Close(Option<CloseFrame>),
}
