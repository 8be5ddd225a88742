//! The close-handshake state machine of one WebSocket end.
//!
//! Sans-I/O: it takes the script's calls and the peer's inputs and returns
//! [`Action`]s, in order, for the transport and the script. Every transport
//! (network or in-process pair) drives the same machine, so the rules of
//! `shared/spec/websocket-close.md` are decided here and nowhere else.
//!
//! The state is two facts, as RFC 6455 §7.1 frames it: whether our Close frame
//! was sent and whether the peer's was received, plus whether the connection
//! is gone. `readyState` is derived from them (WHATWG WebSockets §readyState).

use super::close::{self, CloseFrame};
use super::config::WsConfig;
use super::error::WsError;
use super::event::{Event, Message, Outgoing, PeerInput};

/// WHATWG WebSockets `readyState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum ReadyState {
    Connecting = 0,
    Open = 1,
    Closing = 2,
    Closed = 3,
}

/// How this end answers a peer's Close frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Flag on and no `allowHalfOpen`: echo the Close at once (RFC 6455 §5.5.1).
    Auto,
    /// Flag off, or `accept({ allowHalfOpen: true })`: the script replies.
    Manual,
}

/// What the driver of a machine must do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Put this on the wire.
    Send(Outgoing),
    /// Both Close frames have crossed (or the connection failed): end the
    /// transport after what was sent; the server side closes TCP first
    /// (RFC 6455 §7.1.1).
    Finish,
    /// Hand this event to the script. Everything sent before it in the same
    /// batch must be on the wire first.
    Dispatch(Event),
}

/// One WebSocket end.
#[derive(Debug)]
pub struct Machine {
    config: WsConfig,
    /// `None` until `accept()` (or, for `new WebSocket()`, until open).
    mode: Option<Mode>,
    /// Made by `new WebSocket(url)`: starts CONNECTING and cannot `accept()`.
    outgoing: bool,
    connecting: bool,
    close_sent: bool,
    close_received: bool,
    /// The connection is gone (handshake done, failed, or dropped).
    gone: bool,
    close_dispatched: bool,
}

impl Machine {
    /// An end of a pair or a socket accepted by the server: OPEN, not yet accepted.
    pub fn new(config: WsConfig) -> Self {
        Machine {
            config,
            mode: None,
            outgoing: false,
            connecting: false,
            close_sent: false,
            close_received: false,
            gone: false,
            close_dispatched: false,
        }
    }

    /// A socket made by `new WebSocket(url)`: CONNECTING until [`Machine::on_open`].
    pub fn new_outgoing(config: WsConfig) -> Self {
        Machine {
            outgoing: true,
            connecting: true,
            ..Machine::new(config)
        }
    }

    pub fn config(&self) -> &WsConfig {
        &self.config
    }

    pub fn mode(&self) -> Option<Mode> {
        self.mode
    }

    /// Whether peer inputs may be processed (before that they stay queued).
    pub fn is_accepted(&self) -> bool {
        self.mode.is_some()
    }

    /// Nothing more will happen on this end.
    pub fn is_done(&self) -> bool {
        self.gone && (self.close_dispatched || self.mode.is_none())
    }

    pub fn ready_state(&self) -> ReadyState {
        if self.connecting {
            ReadyState::Connecting
        } else if self.gone || (self.close_sent && self.close_received) {
            ReadyState::Closed
        } else if self.close_sent || self.close_received {
            ReadyState::Closing
        } else {
            ReadyState::Open
        }
    }

    /// `accept({ allowHalfOpen })`. A second call is a no-op, as in production.
    pub fn accept(&mut self, allow_half_open: bool) -> Result<(), WsError> {
        if self.outgoing {
            return Err(WsError::AcceptOnClient);
        }
        if self.mode.is_none() {
            self.mode = Some(self.mode_for(allow_half_open));
        }
        Ok(())
    }

    fn mode_for(&self, allow_half_open: bool) -> Mode {
        if self.config.auto_reply_to_close && !allow_half_open {
            Mode::Auto
        } else {
            Mode::Manual
        }
    }

    /// The outgoing connection's handshake succeeded. A no-op unless still
    /// CONNECTING (the script may have closed it meanwhile).
    pub fn on_open(&mut self) -> Vec<Action> {
        if !self.connecting {
            return vec![];
        }
        self.connecting = false;
        self.mode = Some(self.mode_for(false));
        vec![Action::Dispatch(Event::Open)]
    }

    /// `send(message)`.
    pub fn send(&mut self, message: Message) -> Result<Vec<Action>, WsError> {
        if self.connecting {
            return Err(WsError::StillConnecting);
        }
        if self.close_sent {
            return Err(WsError::SendAfterClose);
        }
        if self.gone {
            // WHATWG §send(): after the connection is gone, data is dropped silently.
            return Ok(vec![]);
        }
        if self.mode.is_none() {
            return Err(WsError::NotAccepted);
        }
        Ok(vec![Action::Send(Outgoing::Message(message))])
    }

    /// `close(code?, reason?)`: the arguments are validated first, always;
    /// then a repeated close, or one after the connection is gone, is a no-op.
    pub fn close(
        &mut self,
        code: Option<i64>,
        reason: Option<&str>,
    ) -> Result<Vec<Action>, WsError> {
        let frame = close::validate_close_args(code, reason, self.config.close_reason_byte_limit)?;
        if self.close_sent || self.gone {
            return Ok(vec![]);
        }
        if self.connecting {
            // WHATWG §close(): closing while CONNECTING fails the connection:
            // an error event, then close 1006.
            self.connecting = false;
            self.close_sent = true;
            return Ok(
                self.fail_connecting("WebSocket was closed before the connection was established.")
            );
        }
        if self.mode.is_none() {
            return Err(WsError::NotAccepted);
        }
        self.close_sent = true;
        let mut actions = vec![Action::Send(Outgoing::Close(frame))];
        if self.close_received {
            // Manual mode: this is the reply; the handshake is complete.
            self.gone = true;
            actions.push(Action::Finish);
        }
        Ok(actions)
    }

    /// Something arrived from the peer. Call only once accepted.
    pub fn on_peer(&mut self, input: PeerInput) -> Vec<Action> {
        debug_assert!(self.is_accepted(), "peer input before accept()");
        if self.gone {
            return vec![];
        }
        if self.close_received {
            // RFC 6455 §5.5.1: nothing follows a Close frame, and WHATWG fires
            // one close event. In manual mode only the end of the connection
            // still matters: CLOSED, silently, the event is already out.
            return match input {
                PeerInput::Disconnected => self.vanish(None),
                _ => vec![],
            };
        }
        match input {
            PeerInput::Message(message) => {
                // WHATWG §"a WebSocket message has been received": only while OPEN.
                if self.ready_state() == ReadyState::Open {
                    vec![Action::Dispatch(Event::Message(message))]
                } else {
                    vec![]
                }
            }
            PeerInput::Close(frame) => self.on_peer_close(frame),
            PeerInput::Disconnected => {
                // Only a close event that was not dispatched yet reports 1006.
                let event = (!self.close_dispatched).then(|| Event::Close {
                    code: close::ABNORMAL,
                    reason: close::ABNORMAL_REASON.to_owned(),
                    was_clean: false,
                });
                self.vanish(event)
            }
            PeerInput::Failed { code, reason } => {
                let mut actions = vec![];
                if !self.close_sent {
                    self.close_sent = true;
                    let frame = CloseFrame {
                        code,
                        reason: reason.clone(),
                    };
                    actions.push(Action::Send(Outgoing::Close(Some(frame))));
                }
                actions.push(Action::Dispatch(Event::Error {
                    message: reason.clone(),
                }));
                actions.extend(self.vanish(Some(Event::Close {
                    code,
                    reason,
                    was_clean: false,
                })));
                actions
            }
        }
    }

    fn on_peer_close(&mut self, frame: Option<CloseFrame>) -> Vec<Action> {
        self.close_received = true;
        let (code, reason) = close::event_code_reason(frame.as_ref());
        let event = Event::Close {
            code,
            reason,
            was_clean: true,
        };
        let mut actions = vec![];
        if !self.close_sent && self.mode == Some(Mode::Auto) {
            // RFC 6455 §5.5.1: echo the status code; the reply goes out before
            // the close event, so the handler already sees CLOSED.
            self.close_sent = true;
            actions.push(Action::Send(Outgoing::Close(frame)));
        }
        if self.close_sent {
            self.gone = true;
            actions.push(Action::Finish);
        }
        self.close_dispatched = true;
        actions.push(Action::Dispatch(event));
        actions
    }

    /// An outgoing connection that never opened: error, then close 1006
    /// (WHATWG §"fail the WebSocket connection").
    pub fn fail_connecting(&mut self, message: &str) -> Vec<Action> {
        self.connecting = false;
        let mut actions = vec![Action::Dispatch(Event::Error {
            message: message.to_owned(),
        })];
        actions.extend(self.vanish(Some(Event::Close {
            code: close::ABNORMAL,
            reason: String::new(),
            was_clean: false,
        })));
        actions
    }

    /// The connection is gone: CLOSED, end the transport, dispatch `event`.
    fn vanish(&mut self, event: Option<Event>) -> Vec<Action> {
        self.gone = true;
        let mut actions = vec![Action::Finish];
        if let Some(event) = event {
            self.close_dispatched = true;
            actions.push(Action::Dispatch(event));
        }
        actions
    }
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
