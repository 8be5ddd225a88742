//! Outgoing connections (`new WebSocket(url)`): the RFC 6455 §4.1 client
//! handshake over TCP, then the same transport and state machine as a server
//! socket. Only `ws:` URLs; `wss:` needs TLS, which hearth does not have yet.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tungstenite::handshake::client::generate_key;
use tungstenite::handshake::derive_accept_key;

use super::{Role, attach, outgoing_socket};
use crate::ws::config::WsConfig;
use crate::ws::machine::ReadyState;
use crate::ws::socket::{SocketInfo, WebSocket};

/// Why an outgoing connection failed (the close event then reports 1006).
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("Invalid WebSocket URL: {0}")]
    InvalidUrl(String),
    #[error("WebSocket URL scheme must be 'ws' ('wss' is not supported yet): {0}")]
    UnsupportedScheme(String),
    #[error("WebSocket connection to {url} failed: {source}")]
    Io { url: String, source: std::io::Error },
    #[error("WebSocket handshake with {url} failed: {reason}")]
    Handshake { url: String, reason: String },
}

/// How long the TCP connect plus opening handshake may take.
pub const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Parsed `ws://host:port/path?query`.
struct Target {
    authority: String,
    host_port: String,
    path: String,
}

fn parse_url(url: &str) -> Result<Target, ConnectError> {
    let uri: http::Uri = url
        .parse()
        .map_err(|_| ConnectError::InvalidUrl(url.into()))?;
    match uri.scheme_str() {
        Some("ws") => {}
        Some(_) => return Err(ConnectError::UnsupportedScheme(url.into())),
        None => return Err(ConnectError::InvalidUrl(url.into())),
    }
    let authority = uri
        .authority()
        .ok_or_else(|| ConnectError::InvalidUrl(url.into()))?;
    let port = authority.port_u16().unwrap_or(80);
    Ok(Target {
        authority: authority.as_str().to_owned(),
        host_port: format!("{}:{port}", authority.host()),
        path: uri
            .path_and_query()
            .map_or("/".into(), |p| p.as_str().to_owned()),
    })
}

/// Open a connection to `url` offering `protocols`. Returns at once with a
/// CONNECTING socket; its first event is `Open`, or an error and a 1006 close.
pub fn connect(
    url: &str,
    protocols: &[String],
    config: WsConfig,
) -> Result<WebSocket, ConnectError> {
    let target = parse_url(url)?;
    let (socket, inbound) = outgoing_socket(config);
    socket.set_info(SocketInfo {
        url: Some(url.into()),
        ..Default::default()
    });
    let (handle, url, protocols) = (socket.clone(), url.to_owned(), protocols.to_vec());
    tokio::spawn(async move {
        let outcome = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake(&target, &url, &protocols))
            .await
            .unwrap_or_else(|_| {
                Err(ConnectError::Handshake {
                    url: url.clone(),
                    reason: "timed out".into(),
                })
            });
        // Check, transition and attach under the socket's lock: a close()
        // while CONNECTING has already ended the socket, and then the
        // connection is simply dropped.
        let _ = handle.transition::<std::convert::Infallible>(|m| {
            if m.ready_state() != ReadyState::Connecting {
                return Ok(vec![]);
            }
            Ok(match outcome {
                Ok((io, protocol)) => {
                    handle.set_info(SocketInfo {
                        url: Some(url),
                        protocol,
                        extensions: String::new(),
                    });
                    attach(&handle, io, Role::Client, config, inbound);
                    m.on_open()
                }
                Err(e) => m.fail_connecting(&e.to_string()),
            })
        });
    });
    Ok(socket)
}

/// The RFC 6455 §4.1 client handshake alone, for a client that does its own
/// framing (`hearth compare`'s scripted client): the connection, with any
/// bytes after the response head still buffered, and the chosen subprotocol.
pub async fn client_handshake(
    url: &str,
    protocols: &[String],
) -> Result<(BufReader<TcpStream>, String), ConnectError> {
    handshake(&parse_url(url)?, url, protocols).await
}

async fn handshake(
    target: &Target,
    url: &str,
    protocols: &[String],
) -> Result<(BufReader<TcpStream>, String), ConnectError> {
    let io_err = |source| ConnectError::Io {
        url: url.into(),
        source,
    };
    let fail = |reason: String| ConnectError::Handshake {
        url: url.into(),
        reason,
    };
    let tcp = TcpStream::connect(&target.host_port)
        .await
        .map_err(io_err)?;
    tcp.set_nodelay(true).map_err(io_err)?;
    let mut io = BufReader::new(tcp);
    let key = generate_key();
    let mut request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n",
        target.path, target.authority
    );
    if !protocols.is_empty() {
        request.push_str(&format!(
            "Sec-WebSocket-Protocol: {}\r\n",
            protocols.join(", ")
        ));
    }
    request.push_str("\r\n");
    io.get_mut()
        .write_all(request.as_bytes())
        .await
        .map_err(io_err)?;

    // Read the response head only; frames after it stay in the BufReader.
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        if io.read_until(b'\n', &mut head).await.map_err(io_err)? == 0 || head.len() > 16 << 10 {
            return Err(fail(
                "the server closed the connection during the handshake".into(),
            ));
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    response
        .parse(&head)
        .map_err(|e| fail(format!("malformed response: {e}")))?;
    if response.code != Some(101) {
        return Err(fail(format!(
            "expected status 101, got {}",
            response.code.unwrap_or(0)
        )));
    }
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    if header("Sec-WebSocket-Accept").as_deref() != Some(derive_accept_key(key.as_bytes()).as_str())
    {
        return Err(fail("wrong Sec-WebSocket-Accept".into()));
    }
    let protocol = header("Sec-WebSocket-Protocol").unwrap_or_default();
    if !protocol.is_empty() && !protocols.contains(&protocol) {
        return Err(fail(format!(
            "the server chose subprotocol '{protocol}', which was not offered"
        )));
    }
    Ok((io, protocol))
}
