//! RFC 6455 §5 rules for incoming frames: masking, reserved bits, control
//! frames, fragmentation, UTF-8 of text (checked as fragments arrive, §8.1)
//! and the message size limit. Turns frames into messages and Close payloads.

use bytes::{Bytes, BytesMut};
use tungstenite::protocol::frame::coding::{Control, Data, OpCode};

use super::codec::{RawFrame, Role};
use crate::ws::close::{self, CloseFrame};
use crate::ws::event::Message;

/// What a valid frame means.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    Message(Message),
    Ping(Bytes),
    Close(Option<CloseFrame>),
}

/// The peer broke the protocol: fail the connection with this code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub code: u16,
    pub reason: &'static str,
}

fn protocol(reason: &'static str) -> Violation {
    Violation {
        code: close::PROTOCOL_ERROR,
        reason,
    }
}

struct Partial {
    text: bool,
    data: BytesMut,
    /// Bytes of `data` already known to be valid UTF-8 (a char boundary).
    checked: usize,
}

pub struct Assembler {
    role: Role,
    max_message: usize,
    partial: Option<Partial>,
}

impl Assembler {
    pub fn new(role: Role, max_message: usize) -> Self {
        Assembler {
            role,
            max_message,
            partial: None,
        }
    }

    /// Take one frame; `Ok(None)` while a fragmented message is incomplete.
    pub fn push(&mut self, frame: RawFrame) -> Result<Option<Incoming>, Violation> {
        if frame.rsv {
            // §5.2: no extension is negotiated, so the reserved bits must be 0.
            return Err(protocol("Reserved bits are set."));
        }
        // §5.1: clients mask every frame, servers never do.
        if frame.masked != (self.role == Role::Server) {
            return Err(protocol(if frame.masked {
                "Masked frame from server."
            } else {
                "Unmasked frame from client."
            }));
        }
        match frame.opcode {
            OpCode::Control(control) => {
                // §5.5: control frames are never fragmented and at most 125 bytes.
                if !frame.fin {
                    return Err(protocol("Fragmented control frame."));
                }
                if frame.payload.len() > 125 {
                    return Err(protocol("Control frame payload over 125 bytes."));
                }
                match control {
                    Control::Close => close::parse_close_payload(&frame.payload)
                        .map(|f| Some(Incoming::Close(f)))
                        .map_err(|bad| Violation {
                            code: bad.code,
                            reason: bad.reason,
                        }),
                    Control::Ping => Ok(Some(Incoming::Ping(frame.payload))),
                    Control::Pong => Ok(None),
                    Control::Reserved(_) => Err(protocol("Unknown opcode.")),
                }
            }
            OpCode::Data(data) => self.push_data(data, frame.fin, frame.payload),
        }
    }

    fn push_data(
        &mut self,
        data: Data,
        fin: bool,
        payload: Bytes,
    ) -> Result<Option<Incoming>, Violation> {
        let mut partial = match (data, self.partial.take()) {
            (Data::Continue, Some(p)) => p,
            (Data::Continue, None) => {
                return Err(protocol("Continuation frame without a message."));
            }
            (Data::Text | Data::Binary, Some(_)) => {
                return Err(protocol("New message before the previous one ended."));
            }
            (Data::Text, None) => Partial {
                text: true,
                data: BytesMut::new(),
                checked: 0,
            },
            (Data::Binary, None) => Partial {
                text: false,
                data: BytesMut::new(),
                checked: 0,
            },
            (Data::Reserved(_), _) => return Err(protocol("Unknown opcode.")),
        };
        if partial.data.len() + payload.len() > self.max_message {
            return Err(Violation {
                code: close::MESSAGE_TOO_BIG,
                reason: "Message is too big.",
            });
        }
        partial.data.extend_from_slice(&payload);
        if partial.text {
            check_utf8(&mut partial, fin)?;
        }
        if !fin {
            self.partial = Some(partial);
            return Ok(None);
        }
        let bytes = partial.data.freeze();
        Ok(Some(Incoming::Message(if partial.text {
            // Checked above, fragment by fragment.
            Message::Text(String::from_utf8(bytes.to_vec()).expect("validated UTF-8"))
        } else {
            Message::Binary(bytes)
        })))
    }
}

/// §8.1: fail as soon as the bytes cannot be UTF-8, not only at the end.
fn check_utf8(partial: &mut Partial, fin: bool) -> Result<(), Violation> {
    let invalid = Violation {
        code: close::INVALID_PAYLOAD,
        reason: "Invalid UTF-8 in text message.",
    };
    match std::str::from_utf8(&partial.data[partial.checked..]) {
        Ok(_) => partial.checked = partial.data.len(),
        // `error_len() == None`: the bytes end inside a character that may
        // still be completed by the next fragment.
        Err(e) if e.error_len().is_none() && !fin => partial.checked += e.valid_up_to(),
        Err(_) => return Err(invalid),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(opcode: OpCode, fin: bool, payload: &[u8]) -> RawFrame {
        RawFrame {
            fin,
            rsv: false,
            masked: true,
            opcode,
            payload: Bytes::copy_from_slice(payload),
        }
    }

    #[test]
    fn utf8_split_across_fragments_is_fine_but_bad_bytes_fail_early() {
        let mut a = Assembler::new(Role::Server, 1 << 20);
        let euro = "€".as_bytes(); // 3 bytes
        assert_eq!(
            a.push(frame(OpCode::Data(Data::Text), false, &euro[..1])),
            Ok(None)
        );
        let done = a
            .push(frame(OpCode::Data(Data::Continue), true, &euro[1..]))
            .unwrap();
        assert_eq!(done, Some(Incoming::Message(Message::Text("€".into()))));
        // 0xC0 can never start a valid sequence: fail on the first fragment.
        let err = a
            .push(frame(OpCode::Data(Data::Text), false, &[b'a', 0xC0]))
            .unwrap_err();
        assert_eq!(err.code, close::INVALID_PAYLOAD);
    }

    #[test]
    fn size_limit_counts_all_fragments() {
        let mut a = Assembler::new(Role::Server, 4);
        assert_eq!(
            a.push(frame(OpCode::Data(Data::Binary), false, b"abc")),
            Ok(None)
        );
        let err = a
            .push(frame(OpCode::Data(Data::Continue), true, b"de"))
            .unwrap_err();
        assert_eq!(err.code, close::MESSAGE_TOO_BIG);
    }
}
