//! Errors a script can see from the WebSocket API.
//!
//! Each variant's `Display` is the exact user-facing message (measured on the
//! production runtime, see `shared/spec/websocket-close.md`); [`WsError::class`]
//! says which JavaScript error the binding must throw.

use thiserror::Error;

/// The JavaScript error class a [`WsError`] maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// A `DOMException` with this `name` (the legacy `code` follows from it).
    DomException(&'static str),
    /// A plain `TypeError`.
    TypeError,
}

/// Why a `WebSocket` call was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WsError {
    /// WHATWG WebSockets §close(): codes other than 1000 and 3000–4999 are
    /// refused; like the production runtime hearth also lets 1001–2999
    /// through, except the codes RFC 6455 §7.4.1 reserves for the wire.
    #[error("Invalid WebSocket close code: {0}.")]
    InvalidCloseCode(i64),
    /// A reason needs a code: an empty Close frame (1005) cannot carry one.
    #[error("If you specify a WebSocket close reason, you must also specify a code.")]
    ReasonWithoutCode,
    /// RFC 6455 §5.5: a control frame carries at most 125 bytes, 2 of them the code.
    #[error("WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.")]
    ReasonTooLong,
    /// `send()` after this end's own `close()` is a bug in the script; the
    /// production runtime throws instead of ignoring it as WHATWG says.
    #[error("Can't call WebSocket send() after close().")]
    SendAfterClose,
    /// `send()`/`close()` on a pair end whose script never called `accept()`.
    #[error("You must call accept() on this WebSocket before sending messages.")]
    NotAccepted,
    /// `accept()` on a socket made by `new WebSocket(url)`.
    #[error("Websockets obtained from the 'new WebSocket()' constructor cannot call accept")]
    AcceptOnClient,
    /// WHATWG WebSockets §send(): CONNECTING throws `InvalidStateError`.
    #[error("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.")]
    StillConnecting,
}

impl WsError {
    /// The JavaScript error class the binding throws for this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            WsError::InvalidCloseCode(_) | WsError::ReasonWithoutCode => {
                ErrorClass::DomException("InvalidAccessError")
            }
            WsError::ReasonTooLong => ErrorClass::DomException("SyntaxError"),
            WsError::StillConnecting => ErrorClass::DomException("InvalidStateError"),
            WsError::SendAfterClose | WsError::NotAccepted | WsError::AcceptOnClient => {
                ErrorClass::TypeError
            }
        }
    }
}
