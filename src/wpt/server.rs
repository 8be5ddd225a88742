//! The WebSocket peer that `hearth test` starts on 127.0.0.1 for tests that
//! need one: the handlers of WPT's `websockets/handlers/*_wsh.py`, rebuilt on
//! hearth's own server ([`crate::server`]) and WebSocket core ([`crate::ws`]).
//!
//! WPT runs those handlers under pywebsocket, which maps `/NAME` to
//! `NAME_wsh.py` in that one folder; tests therefore only ever spell the
//! short form (`ws://{{host}}:{{ports[ws][0]}}/echo`), and so does this server.
//!
//! Two pywebsocket behaviours shape every route:
//! - when `web_socket_transfer_data` returns, the dispatcher calls
//!   `close_connection()` unless the server already closed: a Close with
//!   1000 and an empty reason, then it waits for the client's Close;
//! - a client's Close is answered with what `web_socket_passive_closing_handshake`
//!   returns, by default 1000 and an empty reason (only `echo` and
//!   `delayed-passive-close` echo the client's code and reason).
//!
//! | route | handler it copies | what it does |
//! |---|---|---|
//! | `/echo` | `echo_wsh.py` | echo messages; subprotocol `echo` if offered; `Goodbye` ends it |
//! | `/remote-close` | `remote-close_wsh.py` | the server closes at once (`?code=&reason=`), or drops TCP (`?abrupt=1`) |
//! | `/delayed-passive-close` | `delayed-passive-close_wsh.py` | answers the client's Close after 1 s |
//! | `/handshake_no_extensions` | `handshake_no_extensions_wsh.py` | no extensions; closes with 1000 at once |
//! | `/receive-many-with-backpressure` | `receive-many-with-backpressure_wsh.py` | reads one message per 100 ms, answers its length |

use std::sync::Arc;
use std::time::Duration;

use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::Full;
use tokio_util::sync::CancellationToken;

use crate::server::{Reply, Request, Server, is_upgrade_request};
use crate::ws::close::{MAX_REASON_BYTES, NO_STATUS, is_valid_wire_code};
use crate::ws::{Event, Message, WebSocket, WsConfig};

/// How long a route waits for the client's Close after sending its own
/// (pywebsocket waits forever; a runner must not): the same patience the
/// core gives a peer to end TCP ([`crate::ws::net::DRAIN_LIMIT`]).
pub const CLOSE_WAIT: Duration = crate::ws::net::DRAIN_LIMIT;

/// `delayed-passive-close_wsh.py` sleeps this long before answering a Close.
pub const PASSIVE_CLOSE_DELAY: Duration = Duration::from_secs(1);

/// `receive-many-with-backpressure_wsh.py` sleeps this long before each read.
pub const RECEIVE_DELAY: Duration = Duration::from_millis(100);

/// `echo_wsh.py`: this text message is echoed, then the server closes.
pub const GOODBYE: &str = "Goodbye";

/// The paths served, for the 404 message.
const PATHS: &[&str] = &[
    "/echo",
    "/remote-close",
    "/delayed-passive-close",
    "/handshake_no_extensions",
    "/receive-many-with-backpressure",
];

/// The running test peer.
pub struct WptServer {
    server: Server,
    /// Tells every route to stop waiting for its peer (see [`WptServer::shutdown`]).
    stop: CancellationToken,
}

impl WptServer {
    /// Bind 127.0.0.1:0 and serve until shutdown.
    pub async fn start() -> std::io::Result<WptServer> {
        let stop = CancellationToken::new();
        let stop2 = stop.clone();
        let app = Arc::new(move |request: Request| {
            let stop = stop2.clone();
            async move { route(&request, stop) }
        });
        // The auto-reply flag on: a route that accepts with `accept(false)`
        // echoes the client's Close at once (RFC 6455 §5.5.1), the ones that
        // answer differently accept with `accept(true)` and reply themselves.
        let server = Server::bind(([127, 0, 0, 1], 0).into(), app, WsConfig::current(true)).await?;
        Ok(WptServer { server, stop })
    }

    /// The port serving `ws://127.0.0.1:{port}/…` (plain HTTP requests get
    /// 404 or 426).
    pub fn port(&self) -> u16 {
        self.server.local_addr().port()
    }

    /// Stop accepting and close every open socket with 1001 (RFC 6455
    /// §7.4.1, the server's [`Server::shutdown`]); a route gives its peer at
    /// most [`CLOSE_WAIT`] to answer, then drops the connection.
    pub async fn shutdown(self) {
        self.stop.cancel();
        self.server.shutdown().await;
    }
}

/// The behaviour a request asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Echo,
    RemoteClose(RemoteClose),
    DelayedPassiveClose,
    HandshakeNoExtensions,
    ReceiveManyWithBackpressure,
}

/// `remote-close_wsh.py`'s query: what the server closes with, or `abrupt`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RemoteClose {
    /// `None`: an empty Close frame (no `code`).
    close: Option<(u16, String)>,
    abrupt: bool,
}

impl RemoteClose {
    /// Read the query as the handler's `urllib.parse.parse_qs` does: values
    /// percent-decoded (`+` is a space), blank ones dropped, the first one
    /// wins; `reason` only counts with a `code`. A code or reason that would
    /// put an invalid Close frame on the wire is refused here, before the
    /// upgrade, rather than sent (RFC 6455 §7.4.1, §5.5: at most 123 bytes).
    fn parse(query: Option<&str>) -> Result<RemoteClose, String> {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .into_owned()
                .filter(|(_, v)| !v.is_empty())
                .collect();
        let first = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let abrupt = first("abrupt").is_some();
        let close = match first("code") {
            None => None,
            Some(code) => {
                let code = code
                    .trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|c| is_valid_wire_code(*c))
                    .ok_or_else(|| {
                        format!("remote-close: code={code} may not be sent in a Close frame.")
                    })?;
                let reason = first("reason").cloned().unwrap_or_default();
                if reason.len() > MAX_REASON_BYTES {
                    return Err(format!(
                        "remote-close: the reason is {} bytes; a Close frame holds {MAX_REASON_BYTES}.",
                        reason.len()
                    ));
                }
                Some((code, reason))
            }
        };
        Ok(RemoteClose { close, abrupt })
    }
}

/// Answer one request: 404 off the known paths, 426 without an upgrade,
/// 400 for a query the route refuses, else the upgrade.
fn route(request: &Request, stop: CancellationToken) -> Reply {
    let uri = &request.head.uri;
    let route = match uri.path() {
        "/echo" => Route::Echo,
        "/remote-close" => match RemoteClose::parse(uri.query()) {
            Ok(r) => Route::RemoteClose(r),
            Err(message) => return Reply::text(StatusCode::BAD_REQUEST, message),
        },
        "/delayed-passive-close" => Route::DelayedPassiveClose,
        "/handshake_no_extensions" => Route::HandshakeNoExtensions,
        "/receive-many-with-backpressure" => Route::ReceiveManyWithBackpressure,
        path => {
            return Reply::text(
                StatusCode::NOT_FOUND,
                format!(
                    "No WPT WebSocket handler at {path}; this server has {}.",
                    PATHS.join(", ")
                ),
            );
        }
    };
    if !is_upgrade_request(&request.head.headers) {
        return Reply::Http(upgrade_required(uri.path()));
    }
    // echo_wsh.py selects `echo` when offered, and no subprotocol otherwise;
    // the other handlers never select one.
    let protocol = (route == Route::Echo && request.protocols.iter().any(|p| p == "echo"))
        .then(|| "echo".to_owned());
    Reply::WebSocket {
        protocol,
        handler: Box::new(move |ws| Box::pin(run(ws, route, stop))),
    }
}

/// RFC 9110 §15.5.22: a 426 names the protocol to upgrade to.
fn upgrade_required(path: &str) -> Response<Full<bytes::Bytes>> {
    let body = format!(
        "{path} is a WebSocket endpoint of the WPT test server: connect with ws:// \
         (an HTTP GET with 'Upgrade: websocket')."
    );
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = StatusCode::UPGRADE_REQUIRED;
    let headers = response.headers_mut();
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Run a route until it is done, or until shutdown: then the server's 1001
/// goes out and the peer gets [`CLOSE_WAIT`] to answer.
async fn run(ws: WebSocket, route: Route, stop: CancellationToken) {
    // The route's future is dropped when this `select!` ends, before the
    // drain below: it may hold the socket's event stream mid-read.
    let stopped = tokio::select! {
        _ = serve(&ws, route) => false,
        _ = stop.cancelled() => true,
    };
    if stopped {
        ws.go_away();
        let _ = tokio::time::timeout(CLOSE_WAIT, drain(&ws)).await;
    }
    // Returning drops the last handle: a connection still open ends here.
}

async fn serve(ws: &WebSocket, route: Route) {
    match route {
        Route::Echo => echo(ws).await,
        Route::RemoteClose(r) => remote_close(ws, r).await,
        Route::DelayedPassiveClose => delayed_passive_close(ws).await,
        Route::HandshakeNoExtensions => {
            // handshake_no_extensions_wsh.py clears the extension processors
            // (hearth never negotiates any, so no Sec-WebSocket-Extensions)
            // and its transfer_data is `pass`: pywebsocket closes at once.
            let _ = ws.accept(false);
            close_and_wait(ws, Some((1000, ""))).await;
        }
        Route::ReceiveManyWithBackpressure => receive_many_with_backpressure(ws).await,
    }
}

/// echo_wsh.py: text back as text, binary as binary; after echoing
/// `Goodbye` the handler returns, so pywebsocket closes with 1000 and an
/// empty reason. Its passive handler echoes the client's code and reason
/// (an empty Close gets an empty Close): the core's auto-reply does that.
async fn echo(ws: &WebSocket) {
    let _ = ws.accept(false);
    while let Some(event) = ws.next_event().await {
        if let Event::Message(message) = event {
            let goodbye = matches!(&message, Message::Text(t) if t == GOODBYE);
            let _ = ws.send(message);
            if goodbye {
                return close_and_wait(ws, Some((1000, ""))).await;
            }
        }
    }
}

/// remote-close_wsh.py: close right after the handshake, with the query's
/// code and reason (none: an empty Close), and wait for the client's Close.
/// With `abrupt` the handler raises AbortedByUserException: TCP ends with no
/// Close frame. (The handler pings first so that a browser does not take the
/// drop for a failed handshake; an RFC 6455 client is open once it has the
/// 101, so no Ping is needed, and the core has no way to send one.)
async fn remote_close(ws: &WebSocket, r: RemoteClose) {
    if r.abrupt {
        // Returning drops every handle: the connection ends without a Close.
        return;
    }
    let _ = ws.accept(false);
    close_and_wait(ws, r.close.as_ref().map(|(c, r)| (*c, r.as_str()))).await;
}

/// delayed-passive-close_wsh.py: transfer_data reads one message; a client
/// Close is answered by the passive handler after sleeping 1 s, echoing the
/// code and reason (an empty Close gets an empty Close). A message instead
/// ends transfer_data, and pywebsocket closes with 1000.
async fn delayed_passive_close(ws: &WebSocket) {
    // Manual mode: the reply to the client's Close is ours to send.
    let _ = ws.accept(true);
    while let Some(event) = ws.next_event().await {
        match event {
            Event::Message(_) => return close_and_wait(ws, Some((1000, ""))).await,
            Event::Close {
                code,
                reason,
                was_clean: true,
            } => {
                tokio::time::sleep(PASSIVE_CLOSE_DELAY).await;
                let _ = reply_close(ws, code, &reason);
                return;
            }
            // A dropped or failed connection: nothing to answer.
            Event::Close { .. } => return,
            Event::Open | Event::Error { .. } => {}
        }
    }
}

/// receive-many-with-backpressure_wsh.py (used by
/// send-many-64K-messages-with-backpressure.any.js): sleep 100 ms before
/// each read so the client's sends back up, and answer each message with
/// its length as text (Python's `len`: characters of a text message, bytes
/// of a binary one). A client Close gets pywebsocket's default answer, 1000.
async fn receive_many_with_backpressure(ws: &WebSocket) {
    let _ = ws.accept(true);
    loop {
        tokio::time::sleep(RECEIVE_DELAY).await;
        match ws.next_event().await {
            Some(Event::Message(message)) => {
                let len = match &message {
                    Message::Text(t) => t.chars().count(),
                    Message::Binary(b) => b.len(),
                };
                let _ = ws.send(Message::Text(len.to_string()));
            }
            Some(Event::Close {
                was_clean: true, ..
            }) => {
                let _ = ws.close(Some(1000), Some(""));
                return;
            }
            Some(Event::Close { .. }) | None => return,
            Some(Event::Open | Event::Error { .. }) => {}
        }
    }
}

/// Answer a client's Close with its own code and reason; 1005 (the client
/// sent an empty Close) is answered with an empty Close, as the WPT passive
/// handlers do (1005 may never be on the wire, RFC 6455 §7.4.1). Every code
/// a peer may send is one `close()` accepts.
fn reply_close(ws: &WebSocket, code: u16, reason: &str) -> Result<(), crate::ws::WsError> {
    if code == NO_STATUS {
        ws.close(None, None)
    } else {
        ws.close(Some(i64::from(code)), Some(reason))
    }
}

/// pywebsocket's `close_connection(code, reason)`: send a Close (`None`: an
/// empty one) and wait for the client's, here at most [`CLOSE_WAIT`]. When
/// the client answers, the core ends TCP (server first, RFC 6455 §7.1.1);
/// when it does not, the caller returning drops the connection.
async fn close_and_wait(ws: &WebSocket, close: Option<(u16, &str)>) {
    let _ = match close {
        Some((code, reason)) => ws.close(Some(i64::from(code)), Some(reason)),
        None => ws.close(None, None),
    };
    let _ = tokio::time::timeout(CLOSE_WAIT, drain(ws)).await;
}

/// Take events until nothing more can happen (the peer's Close or the end
/// of the connection); messages after our Close are dropped by the core.
async fn drain(ws: &WebSocket) {
    while ws.next_event().await.is_some() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<RemoteClose, String> {
        RemoteClose::parse(Some(q))
    }

    #[test]
    fn remote_close_query() {
        let empty = RemoteClose {
            close: None,
            abrupt: false,
        };
        assert_eq!(RemoteClose::parse(None), Ok(empty.clone()));
        // The reason counts only with a code; blank values are dropped.
        assert_eq!(parse("reason=x&code="), Ok(empty));
        assert_eq!(
            parse("code=4000&reason=%E3%83%AD%E3%83%9C+x&code=4001"),
            Ok(RemoteClose {
                close: Some((4000, "ロボ x".into())),
                abrupt: false
            })
        );
        assert_eq!(
            parse("code=1000"),
            Ok(RemoteClose {
                close: Some((1000, String::new())),
                abrupt: false
            })
        );
        assert!(parse("abrupt=1").unwrap().abrupt);
        assert!(!parse("abrupt=").unwrap().abrupt);
        for bad in ["code=1005", "code=999", "code=abc", "code=70000"] {
            assert!(parse(bad).unwrap_err().contains("may not be sent"), "{bad}");
        }
        let long = format!("code=1000&reason={}", "a".repeat(124));
        assert!(parse(&long).unwrap_err().contains("123"));
    }
}
