//! Close codes and reasons: every rule about them lives here.
//!
//! Two different sets of codes matter:
//! - what a *script* may pass to `close()` (WHATWG WebSockets §close(), as
//!   relaxed by the production runtime: 1000–4999 except 1004, 1005, 1006, 1015);
//! - what may appear *on the wire* in a peer's Close frame (RFC 6455 §7.4.1/§7.4.2).

use bytes::{BufMut, Bytes, BytesMut};

use super::error::WsError;

/// RFC 6455 §7.4.1: "no status code was actually present". Never on the wire.
pub const NO_STATUS: u16 = 1005;
/// RFC 6455 §7.4.1: abnormal closure, "closed without sending a Close frame".
pub const ABNORMAL: u16 = 1006;
/// RFC 6455 §7.4.1: protocol error.
pub const PROTOCOL_ERROR: u16 = 1002;
/// RFC 6455 §7.4.1: data inconsistent with the message type (bad UTF-8).
pub const INVALID_PAYLOAD: u16 = 1007;
/// RFC 6455 §7.4.1: message too big to process.
pub const MESSAGE_TOO_BIG: u16 = 1009;
/// RFC 6455 §7.4.1: the endpoint is going away (server shutdown).
pub const GOING_AWAY: u16 = 1001;

/// The reason the close event carries after an abnormal closure (measured).
pub const ABNORMAL_REASON: &str = "WebSocket disconnected without sending Close frame.";

/// RFC 6455 §5.5: control frame payloads are at most 125 bytes; 2 hold the code.
pub const MAX_REASON_BYTES: usize = 123;

/// The payload of a Close frame: `None` is an empty frame (seen as 1005).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseFrame {
    pub code: u16,
    pub reason: String,
}

/// Validate the arguments of a script's `close(code?, reason?)`.
///
/// `reason_byte_limit` is the `websocket_close_reason_byte_limit` flag: without
/// it an over-long reason is accepted and truncated when the frame is built.
/// Returns the frame to send (`None`: an empty Close frame).
pub fn validate_close_args(
    code: Option<i64>,
    reason: Option<&str>,
    reason_byte_limit: bool,
) -> Result<Option<CloseFrame>, WsError> {
    if let Some(code) = code
        && !is_valid_script_code(code)
    {
        return Err(WsError::InvalidCloseCode(code));
    }
    let Some(code) = code else {
        return match reason {
            Some(_) => Err(WsError::ReasonWithoutCode),
            None => Ok(None),
        };
    };
    let reason = reason.unwrap_or("");
    if reason_byte_limit && reason.len() > MAX_REASON_BYTES {
        return Err(WsError::ReasonTooLong);
    }
    Ok(Some(CloseFrame {
        code: code as u16,
        reason: reason.to_owned(),
    }))
}

/// Codes a script may pass to `close()`.
pub fn is_valid_script_code(code: i64) -> bool {
    (1000..5000).contains(&code) && !matches!(code, 1004 | 1005 | 1006 | 1015)
}

/// RFC 6455 §7.4.1–7.4.2: codes an endpoint may receive in a Close frame.
/// 1004, 1005, 1006 and 1015 are reserved; 1016–2999 are unassigned except
/// 1012–1014 (registered with IANA since); 0–999 and ≥ 5000 are never used.
pub fn is_valid_wire_code(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// Why a received Close payload fails the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadClose {
    pub code: u16,
    pub reason: &'static str,
}

/// Parse the payload of a received Close frame (RFC 6455 §5.5.1).
pub fn parse_close_payload(payload: &[u8]) -> Result<Option<CloseFrame>, BadClose> {
    match payload.len() {
        0 => Ok(None),
        1 => Err(BadClose {
            code: PROTOCOL_ERROR,
            reason: "Close frame payload of 1 byte.",
        }),
        _ => {
            let code = u16::from_be_bytes([payload[0], payload[1]]);
            if !is_valid_wire_code(code) {
                return Err(BadClose {
                    code: PROTOCOL_ERROR,
                    reason: "Invalid close code.",
                });
            }
            let reason = std::str::from_utf8(&payload[2..]).map_err(|_| BadClose {
                code: INVALID_PAYLOAD,
                reason: "Close reason is not valid UTF-8.",
            })?;
            Ok(Some(CloseFrame {
                code,
                reason: reason.to_owned(),
            }))
        }
    }
}

/// Build the payload of a Close frame we send: at most 125 bytes, the reason
/// truncated on a character boundary to fit (RFC 6455 §5.5).
pub fn close_payload(frame: Option<&CloseFrame>) -> Bytes {
    let Some(frame) = frame else {
        return Bytes::new();
    };
    let reason = truncate_utf8(&frame.reason, MAX_REASON_BYTES);
    let mut out = BytesMut::with_capacity(2 + reason.len());
    out.put_u16(frame.code);
    out.put_slice(reason.as_bytes());
    out.freeze()
}

/// The code and reason a close event reports for a received frame.
pub fn event_code_reason(frame: Option<&CloseFrame>) -> (u16, String) {
    match frame {
        Some(f) => (f.code, f.reason.clone()),
        None => (NO_STATUS, String::new()),
    }
}

fn truncate_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_codes() {
        for (code, ok) in [
            (999, false),
            (1000, true),
            (1001, true),
            (1004, false),
            (1005, false),
            (1006, false),
            (1015, false),
            (1016, true),
            (2999, true),
            (3000, true),
            (4999, true),
            (5000, false),
            (0, false),
            (-1, false),
            (65536 + 1000, false),
        ] {
            assert_eq!(is_valid_script_code(code), ok, "code {code}");
        }
    }

    #[test]
    fn wire_codes() {
        let allowed: Vec<u16> = (0..=u16::MAX).filter(|c| is_valid_wire_code(*c)).collect();
        assert_eq!(allowed.len(), 4 + 8 + 2000);
        for c in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] {
            assert!(!is_valid_wire_code(c), "{c}");
        }
    }

    #[test]
    fn reason_limits() {
        let r123 = "a".repeat(123);
        let r124 = "a".repeat(124);
        assert!(validate_close_args(Some(1000), Some(&r123), true).is_ok());
        assert_eq!(
            validate_close_args(Some(1000), Some(&r124), true),
            Err(WsError::ReasonTooLong)
        );
        // Without the flag the reason is accepted and truncated on the wire.
        let f = validate_close_args(Some(1000), Some(&r124), false).unwrap();
        assert_eq!(close_payload(f.as_ref()).len(), 125);
        // Truncation never splits a character: 'é' is 2 bytes.
        let f = CloseFrame {
            code: 1000,
            reason: "é".repeat(62),
        };
        let p = close_payload(Some(&f));
        assert_eq!(p.len(), 2 + 122);
        assert!(std::str::from_utf8(&p[2..]).is_ok());
        assert_eq!(
            validate_close_args(None, Some("x"), true),
            Err(WsError::ReasonWithoutCode)
        );
        assert_eq!(validate_close_args(None, None, true), Ok(None));
        // The code is checked before the reason.
        assert_eq!(
            validate_close_args(Some(1005), Some("x"), true),
            Err(WsError::InvalidCloseCode(1005))
        );
    }

    #[test]
    fn parse_payloads() {
        assert_eq!(parse_close_payload(&[]), Ok(None));
        assert_eq!(parse_close_payload(&[3]).unwrap_err().code, PROTOCOL_ERROR);
        assert_eq!(
            parse_close_payload(&1005u16.to_be_bytes())
                .unwrap_err()
                .code,
            PROTOCOL_ERROR
        );
        assert_eq!(
            parse_close_payload(&[0x03, 0xE8, 0xFF]).unwrap_err().code,
            INVALID_PAYLOAD
        );
        let ok = parse_close_payload(&[0x0F, 0xA1, b'h', b'i'])
            .unwrap()
            .unwrap();
        assert_eq!((ok.code, ok.reason.as_str()), (4001, "hi"));
    }
}
