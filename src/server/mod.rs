//! The HTTP/1.1 server (hyper 1) that accepts WebSocket upgrades and hands
//! each socket, with its request, to the application.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use hearth::server::{Reply, Server};
//! use hearth::ws::{Event, WsConfig};
//! let app = Arc::new(|_req| async {
//!     Reply::websocket(|ws| async move {
//!         ws.accept(false).unwrap();
//!         while let Some(event) = ws.next_event().await {
//!             if let Event::Message(m) = event { let _ = ws.send(m); }
//!         }
//!     })
//! });
//! let server = Server::bind("127.0.0.1:0".parse().unwrap(), app, WsConfig::current(true)).await?;
//! println!("listening on {}", server.local_addr());
//! server.shutdown().await;
//! # Ok(()) }
//! ```

mod handshake;
mod worker_app;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;

pub use handshake::{HandshakeError, check_request, is_upgrade_request, offered_protocols};
pub use worker_app::WorkerApp;

use crate::ws::{self, WebSocket, WsConfig};

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Largest request body the server reads into memory.
pub const MAX_BODY_BYTES: usize = 32 << 20;

/// How long `shutdown` waits for sockets to finish their close handshake.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// A request as the application sees it: head and whole body.
#[derive(Debug)]
pub struct Request {
    pub head: http::request::Parts,
    pub body: Bytes,
    /// Subprotocols offered in `Sec-WebSocket-Protocol`, in order.
    pub protocols: Vec<String>,
}

/// What the application answers.
pub enum Reply {
    Http(Response<Full<Bytes>>),
    /// Complete the upgrade (101) and run `handler` with the new socket.
    WebSocket {
        protocol: Option<String>,
        handler: Box<dyn FnOnce(WebSocket) -> BoxFuture<()> + Send>,
    },
    /// Complete the upgrade (101) by putting the network connection in the
    /// place of `client`, one end of a pair whose other end a script holds
    /// (`new Response(null, { status: 101, webSocket: client })`).
    Adopt {
        client: WebSocket,
        protocol: Option<String>,
    },
}

impl Reply {
    pub fn websocket<F, Fut>(handler: F) -> Reply
    where
        F: FnOnce(WebSocket) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Reply::WebSocket {
            protocol: None,
            handler: Box::new(move |ws| Box::pin(handler(ws))),
        }
    }

    pub fn text(status: StatusCode, body: impl Into<Bytes>) -> Reply {
        Reply::Http(plain(status, body))
    }
}

fn plain(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The application behind the server. Closures `Fn(Request) -> Future<Output = Reply>` are apps.
pub trait App: Send + Sync + 'static {
    fn call(&self, request: Request) -> BoxFuture<Reply>;
}

impl<F, Fut> App for F
where
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply> + Send + 'static,
{
    fn call(&self, request: Request) -> BoxFuture<Reply> {
        Box::pin(self(request))
    }
}

/// Live sockets, so that shutdown can close them with 1001.
#[derive(Default)]
struct Sockets {
    next: AtomicU64,
    live: Mutex<HashMap<u64, WebSocket>>,
    /// Script ends coupled to the network (`Reply::Adopt`): weak, since the
    /// script owns them; shutdown still closes the ones alive.
    adopted: Mutex<Vec<ws::WeakWebSocket>>,
}

impl Sockets {
    /// Track `socket` until the returned guard drops, even if the handler
    /// panics (the map's handle would otherwise keep the connection alive).
    fn register<'a>(&'a self, socket: &WebSocket) -> Registration<'a> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.live.lock().unwrap().insert(id, socket.clone());
        Registration { sockets: self, id }
    }
}

impl Sockets {
    /// Track a script's end coupled to the network, weakly (the script owns it).
    fn adopt(&self, end: &WebSocket) {
        let mut adopted = self.adopted.lock().unwrap();
        adopted.retain(|w| w.upgrade().is_some());
        adopted.push(end.downgrade());
    }
}

struct Registration<'a> {
    sockets: &'a Sockets,
    id: u64,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.sockets.live.lock().unwrap().remove(&self.id);
    }
}

struct Shared {
    app: Arc<dyn App>,
    ws: WsConfig,
    sockets: Sockets,
    stopping: std::sync::atomic::AtomicBool,
    tracker: TaskTracker,
}

/// A running server.
pub struct Server {
    local_addr: SocketAddr,
    stop: watch::Sender<bool>,
    shared: Arc<Shared>,
}

impl Server {
    /// Listen on `addr` (port 0 picks a free port) and serve in the background.
    pub async fn bind(
        addr: SocketAddr,
        app: Arc<dyn App>,
        ws: WsConfig,
    ) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let shared = Arc::new(Shared {
            app,
            ws,
            sockets: Sockets::default(),
            stopping: Default::default(),
            tracker: TaskTracker::new(),
        });
        tokio::spawn(accept_loop(listener, shared.clone(), stopped));
        Ok(Server {
            local_addr,
            stop,
            shared,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Number of WebSockets currently open.
    pub fn open_sockets(&self) -> usize {
        self.shared.sockets.live.lock().unwrap().len()
    }

    /// Stop accepting, let HTTP requests in flight finish, close every open
    /// WebSocket with 1001 "going away" (RFC 6455 §7.4.1), and wait up to
    /// [`SHUTDOWN_GRACE`] for their close handshakes.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.shared.stopping.store(true, Ordering::Release);
        let live: Vec<WebSocket> = self
            .shared
            .sockets
            .live
            .lock()
            .unwrap()
            .values()
            .cloned()
            .collect();
        for socket in live {
            socket.go_away();
        }
        let adopted: Vec<WebSocket> = self
            .shared
            .sockets
            .adopted
            .lock()
            .unwrap()
            .iter()
            .filter_map(|w| w.upgrade())
            .collect();
        for socket in &adopted {
            socket.go_away();
        }
        self.shared.tracker.close();
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
            self.shared.tracker.wait().await;
            for socket in &adopted {
                socket.transport_done().await;
            }
        })
        .await;
    }
}

/// Ctrl-C (SIGINT) or SIGTERM: what `hearth run` waits for before
/// [`Server::shutdown`]. The handlers are installed by [`ShutdownSignal::install`],
/// so a signal that comes after it is never missed.
pub struct ShutdownSignal {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    pub fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(ShutdownSignal {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Resolves when either signal arrives.
    pub async fn recv(&mut self) {
        tokio::select! { _ = self.interrupt.recv() => {}, _ = self.terminate.recv() => {} }
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let (tcp, _peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(conn) => conn,
                // Out of file descriptors and the like: keep serving the others.
                Err(_) => continue,
            },
            _ = stopped.changed() => return,
        };
        let _ = tcp.set_nodelay(true);
        let shared2 = shared.clone();
        let mut stopped = stopped.clone();
        shared.tracker.spawn(async move {
            let service = service_fn(move |req| handle(shared2.clone(), req));
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tcp), service)
                .with_upgrades();
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopped.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: http::Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let upgrade = is_upgrade_request(req.headers());
    let accept_key = if upgrade {
        match check_request(req.method(), req.headers()) {
            Ok(key) => Some(key),
            // RFC 6455 §4.2.2: an unknown version gets 426 and the versions we speak.
            Err(HandshakeError::BadVersion) => {
                let mut response = plain(
                    StatusCode::UPGRADE_REQUIRED,
                    HandshakeError::BadVersion.to_string(),
                );
                response.headers_mut().insert(
                    http::header::SEC_WEBSOCKET_VERSION,
                    http::HeaderValue::from_static("13"),
                );
                return Ok(response);
            }
            Err(e) => return Ok(plain(StatusCode::BAD_REQUEST, e.to_string())),
        }
    } else {
        None
    };
    let protocols = offered_protocols(req.headers());
    let (mut parts, body) = req.into_parts();
    let on_upgrade = upgrade
        .then(|| parts.extensions.remove::<hyper::upgrade::OnUpgrade>())
        .flatten();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(plain(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Request body too large.",
            ));
        }
    };
    let reply = shared
        .app
        .call(Request {
            head: parts,
            body,
            protocols,
        })
        .await;
    match reply {
        Reply::Http(response) => Ok(response),
        Reply::Adopt { client, protocol } => {
            let Some((response, on_upgrade)) = switch(accept_key, on_upgrade, protocol.as_deref())
            else {
                return Ok(upgrade_required());
            };
            let config = shared.ws;
            let shared2 = shared.clone();
            shared.tracker.spawn(async move {
                if let Ok(upgraded) = on_upgrade.await {
                    let script_end = client.partner();
                    // A script that dropped its end has nobody to talk to:
                    // dropping `client` ends the connection.
                    if ws::net::couple(client, TokioIo::new(upgraded), config)
                        .await
                        .is_ok()
                        && let Some(end) = script_end
                    {
                        shared2.sockets.adopt(&end);
                        if shared2.stopping.load(Ordering::Acquire) {
                            end.go_away();
                        }
                    }
                }
            });
            Ok(response)
        }
        Reply::WebSocket { protocol, handler } => {
            let Some((response, on_upgrade)) = switch(accept_key, on_upgrade, protocol.as_deref())
            else {
                return Ok(upgrade_required());
            };
            let shared2 = shared.clone();
            shared.tracker.spawn(async move {
                let Ok(upgraded) = on_upgrade.await else {
                    return;
                };
                let socket = ws::net::server_socket(TokioIo::new(upgraded), shared2.ws);
                if let Some(p) = &protocol {
                    socket.set_info(ws::SocketInfo {
                        protocol: p.clone(),
                        ..Default::default()
                    });
                }
                let _live = shared2.sockets.register(&socket);
                if shared2.stopping.load(Ordering::Acquire) {
                    // Upgraded while shutdown was closing the others.
                    socket.go_away();
                }
                handler(socket).await;
            });
            Ok(response)
        }
    }
}

/// The 101 response for an upgrade the application accepted, with the
/// connection to take over; `None` if the request was not an upgrade.
fn switch(
    accept_key: Option<String>,
    on_upgrade: Option<hyper::upgrade::OnUpgrade>,
    protocol: Option<&str>,
) -> Option<(Response<Full<Bytes>>, hyper::upgrade::OnUpgrade)> {
    Some((
        handshake::switching_protocols(&accept_key?, protocol),
        on_upgrade?,
    ))
}

fn upgrade_required() -> Response<Full<Bytes>> {
    plain(StatusCode::UPGRADE_REQUIRED, "Expected Upgrade: websocket")
}
