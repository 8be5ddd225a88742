//! A frame tap: an observer told about every frame an end sends and every
//! peer input it processes, for traces (`hearth compare`). Frames are
//! described in one short notation shared by every recorder:
//! `Text "hi"`, `Binary <3 bytes>`, `Close 1000 "bye"`, `Close (empty)`,
//! `FIN` (the connection, or the pair, ended).

use std::sync::Arc;

use super::close::CloseFrame;
use super::event::{Message, Outgoing, PeerInput};

/// What the tap sees.
#[derive(Debug, Clone, Copy)]
pub enum Tapped<'a> {
    Sent(&'a Outgoing),
    /// The end finished its side (after its Close: TCP FIN, or the pair link closed).
    SentFin,
    Received(&'a PeerInput),
}

pub type FrameTap = Arc<dyn Fn(Tapped<'_>) + Send + Sync>;

/// `Text "hi"` / `Binary <3 bytes>`; long text is cut at 60 characters.
pub fn describe_message(message: &Message) -> String {
    match message {
        Message::Text(text) => {
            let mut shown: String = text.chars().take(60).collect();
            if shown.len() < text.len() {
                shown.push('…');
            }
            format!("Text {shown:?}")
        }
        Message::Binary(bytes) => format!("Binary <{} bytes>", bytes.len()),
    }
}

/// `Close 1000 "bye"` / `Close (empty)`.
pub fn describe_close(frame: Option<&CloseFrame>) -> String {
    match frame {
        Some(f) => format!("Close {} {:?}", f.code, f.reason),
        None => "Close (empty)".to_owned(),
    }
}

impl Tapped<'_> {
    /// The frame in the shared notation; a peer's protocol violation is
    /// described by what it made hearth do.
    pub fn describe(&self) -> String {
        match self {
            Tapped::Sent(Outgoing::Message(m)) | Tapped::Received(PeerInput::Message(m)) => {
                describe_message(m)
            }
            Tapped::Sent(Outgoing::Close(frame)) | Tapped::Received(PeerInput::Close(frame)) => {
                describe_close(frame.as_ref())
            }
            Tapped::SentFin | Tapped::Received(PeerInput::Disconnected) => "FIN".to_owned(),
            Tapped::Received(PeerInput::Failed { code, reason }) => {
                format!("protocol error (hearth fails it with {code} {reason:?})")
            }
        }
    }
}
