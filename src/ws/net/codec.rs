//! RFC 6455 §5.2 framing as a `tokio_util` codec. Header parsing and
//! formatting are tungstenite's; the protocol rules are in [`super::assembler`].

use std::io::Cursor;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};
use tungstenite::protocol::frame::coding::OpCode;
use tungstenite::protocol::frame::{Frame, FrameHeader};

use crate::ws::close;

/// Which side of the connection we are: it decides masking (RFC 6455 §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Server,
    Client,
}

/// One frame as it came off the wire, unmasked.
#[derive(Debug, Clone)]
pub struct RawFrame {
    pub fin: bool,
    pub rsv: bool,
    pub masked: bool,
    pub opcode: OpCode,
    pub payload: Bytes,
}

/// A frame that cannot be decoded: fail the connection with `code`.
#[derive(Debug)]
pub enum CodecError {
    Violation { code: u16, reason: &'static str },
    Io(std::io::Error),
}

impl From<std::io::Error> for CodecError {
    fn from(e: std::io::Error) -> Self {
        CodecError::Io(e)
    }
}

/// Most the decoder reserves ahead of the bytes that actually arrived.
const READ_CHUNK: usize = 64 << 10;

pub struct FrameCodec {
    role: Role,
    /// A single frame larger than this fails before its payload is buffered.
    max_frame: usize,
}

impl FrameCodec {
    pub fn new(role: Role, max_frame: usize) -> Self {
        FrameCodec { role, max_frame }
    }
}

impl Decoder for FrameCodec {
    type Item = RawFrame;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<RawFrame>, CodecError> {
        let mut cursor = Cursor::new(&src[..]);
        let parsed = FrameHeader::parse(&mut cursor).map_err(|_| CodecError::Violation {
            code: close::PROTOCOL_ERROR,
            reason: "Unknown opcode.",
        })?;
        let Some((header, len)) = parsed else {
            return Ok(None);
        };
        if matches!(header.opcode, OpCode::Control(_)) && len > 125 {
            // RFC 6455 §5.5: decided from the header, before any payload is buffered.
            return Err(CodecError::Violation {
                code: close::PROTOCOL_ERROR,
                reason: "Control frame payload over 125 bytes.",
            });
        }
        if len > self.max_frame as u64 {
            return Err(CodecError::Violation {
                code: close::MESSAGE_TOO_BIG,
                reason: "Message is too big.",
            });
        }
        let head = cursor.position() as usize;
        let len = len as usize;
        if src.len() < head + len {
            // Grow as bytes arrive, not by what the header claims.
            src.reserve((head + len - src.len()).min(READ_CHUNK));
            return Ok(None);
        }
        src.advance(head);
        let mut payload = src.split_to(len);
        if let Some(mask) = header.mask {
            for (i, b) in payload.iter_mut().enumerate() {
                *b ^= mask[i & 3];
            }
        }
        Ok(Some(RawFrame {
            fin: header.is_final,
            rsv: header.rsv1 || header.rsv2 || header.rsv3,
            masked: header.mask.is_some(),
            opcode: header.opcode,
            payload: payload.freeze(),
        }))
    }
}

impl Encoder<Frame> for FrameCodec {
    type Error = CodecError;

    fn encode(&mut self, mut frame: Frame, dst: &mut BytesMut) -> Result<(), CodecError> {
        if self.role == Role::Client {
            // RFC 6455 §5.3: a fresh, unpredictable mask for every client frame.
            frame.header_mut().mask = Some(rand::random());
        }
        dst.reserve(frame.len());
        frame
            .format(&mut dst.writer())
            .map_err(|e| CodecError::Io(std::io::Error::other(e)))
    }
}
