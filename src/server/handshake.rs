//! The server side of the opening handshake (RFC 6455 §4.2).

use http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use tungstenite::handshake::derive_accept_key;

/// Is this request asking for a WebSocket upgrade at all?
pub fn is_upgrade_request(headers: &HeaderMap) -> bool {
    header_has_token(headers, header::UPGRADE, "websocket")
}

fn header_has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// Why an upgrade request is refused (the text is the 400 response body).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandshakeError {
    #[error("WebSocket upgrade requires a GET request.")]
    NotGet,
    #[error("WebSocket upgrade requires 'Connection: Upgrade'.")]
    NoConnectionUpgrade,
    #[error("Unsupported Sec-WebSocket-Version; this server speaks 13.")]
    BadVersion,
    #[error("Missing or malformed Sec-WebSocket-Key.")]
    BadKey,
}

/// §4.2.1: check the client's handshake; returns the `Sec-WebSocket-Accept` value.
pub fn check_request(method: &Method, headers: &HeaderMap) -> Result<String, HandshakeError> {
    if method != Method::GET {
        return Err(HandshakeError::NotGet);
    }
    if !header_has_token(headers, header::CONNECTION, "upgrade") {
        return Err(HandshakeError::NoConnectionUpgrade);
    }
    // Exactly one version header, and it says 13 (§4.2.1 item 6).
    let versions: Vec<&[u8]> = headers
        .get_all(header::SEC_WEBSOCKET_VERSION)
        .iter()
        .map(|v| v.as_bytes())
        .collect();
    if versions != [b"13"] {
        return Err(HandshakeError::BadVersion);
    }
    // §4.2.1: exactly one key, a base64-encoded 16-byte value: 24 characters ending "==".
    let keys: Vec<&[u8]> = headers
        .get_all(header::SEC_WEBSOCKET_KEY)
        .iter()
        .map(|v| v.as_bytes())
        .collect();
    let [k] = keys.as_slice() else {
        return Err(HandshakeError::BadKey);
    };
    if k.len() != 24 || !k.ends_with(b"==") {
        return Err(HandshakeError::BadKey);
    }
    Ok(derive_accept_key(k))
}

/// The subprotocols the client offered, in order.
pub fn offered_protocols(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The `101 Switching Protocols` response.
pub fn switching_protocols<B: Default>(accept: &str, protocol: Option<&str>) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = response.headers_mut();
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    h.insert(
        header::SEC_WEBSOCKET_ACCEPT,
        HeaderValue::from_str(accept).expect("base64 is a valid header"),
    );
    if let Some(p) = protocol.and_then(|p| HeaderValue::from_str(p).ok()) {
        h.insert(header::SEC_WEBSOCKET_PROTOCOL, p);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_example_key() {
        // RFC 6455 §1.3's worked example.
        let mut h = HeaderMap::new();
        h.insert(
            header::CONNECTION,
            HeaderValue::from_static("keep-alive, Upgrade"),
        );
        h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        h.insert(
            header::SEC_WEBSOCKET_VERSION,
            HeaderValue::from_static("13"),
        );
        h.insert(
            header::SEC_WEBSOCKET_KEY,
            HeaderValue::from_static("dGhlIHNhbXBsZSBub25jZQ=="),
        );
        assert!(is_upgrade_request(&h));
        assert_eq!(
            check_request(&Method::GET, &h).unwrap(),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert_eq!(
            check_request(&Method::POST, &h),
            Err(HandshakeError::NotGet)
        );
        h.insert(header::SEC_WEBSOCKET_VERSION, HeaderValue::from_static("8"));
        assert_eq!(
            check_request(&Method::GET, &h),
            Err(HandshakeError::BadVersion)
        );
    }
}
