//! Shared test support: a raw-frame client and a scripted hearth server
//! whose WebSocket handler records what a script would see.

#![allow(dead_code)]

/// JavaScript both test workers start with: `describe(error)` as
/// "Class: message" (DOMExceptions with name and code) and `attempt(fn)`.
macro_rules! js_test_helpers {
    () => {
        r##"
function describe(e) {
  return e instanceof DOMException
    ? `DOMException(${e.name}, ${e.code}): ${e.message}`
    : `${e.constructor.name}: ${e.message}`;
}

function attempt(fn) {
  try {
    fn();
    return "ok";
  } catch (e) {
    return describe(e);
  }
}
"##
    };
}

pub mod hearth_process;
pub mod js_globals_worker;
pub mod js_ws;
pub mod raw_client;

use std::net::SocketAddr;
use std::sync::Arc;

use hearth::server::{Reply, Server};
use hearth::ws::{Event, Message, WebSocket, WsConfig, WsError};
use tokio::sync::mpsc;

pub use raw_client::*;

/// Something the "script" does.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Send(&'static str),
    Close(Option<i64>, Option<String>),
}

/// What the scripted handler does, and when.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub half_open: bool,
    /// Echo every message back.
    pub echo: bool,
    /// Do not call accept() until the test says so.
    pub accept_later: bool,
    pub on_accept: Vec<Step>,
    /// Run inside the close event handler.
    pub on_close: Vec<Step>,
}

impl Script {
    /// A script that does not call accept() until the test does.
    pub fn accepting_later() -> Script {
        Script {
            accept_later: true,
            ..Default::default()
        }
    }
}

/// What the handler observed, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Event {
        event: Event,
        ready_state: u8,
    },
    Step {
        step: Step,
        result: Result<(), WsError>,
        ready_state: u8,
    },
    /// `next_event()` returned `None`.
    Finished {
        ready_state: u8,
    },
}

pub fn run_step(ws: &WebSocket, step: &Step) -> Result<(), WsError> {
    match step {
        Step::Send(text) => ws.send(Message::Text((*text).into())),
        Step::Close(code, reason) => ws.close(*code, reason.as_deref()),
    }
}

/// Run `script` on `ws` like an event loop would, recording everything.
pub async fn drive(ws: WebSocket, script: Script, out: mpsc::UnboundedSender<Record>) {
    let rs = |ws: &WebSocket| ws.ready_state() as u8;
    let steps = |ws: &WebSocket, steps: &[Step]| {
        for step in steps {
            let result = run_step(ws, step);
            let _ = out.send(Record::Step {
                step: step.clone(),
                result,
                ready_state: rs(ws),
            });
        }
    };
    if !script.accept_later {
        ws.accept(script.half_open).unwrap();
    }
    steps(&ws, &script.on_accept);
    while let Some(event) = ws.next_event().await {
        let _ = out.send(Record::Event {
            event: event.clone(),
            ready_state: rs(&ws),
        });
        match event {
            Event::Close { .. } => steps(&ws, &script.on_close),
            Event::Message(m) if script.echo => {
                let _ = ws.send(m);
            }
            _ => {}
        }
    }
    let _ = out.send(Record::Finished {
        ready_state: rs(&ws),
    });
}

pub struct TestServer {
    pub server: Server,
    pub addr: SocketAddr,
    records: mpsc::UnboundedReceiver<Record>,
    sockets: mpsc::UnboundedReceiver<WebSocket>,
}

impl TestServer {
    /// A hearth server whose handler runs `script`, with the auto-reply flag on or off.
    pub async fn start(flag_on: bool, script: Script) -> TestServer {
        Self::with_config(WsConfig::current(flag_on), script).await
    }

    pub async fn with_config(config: WsConfig, script: Script) -> TestServer {
        let (tx, records) = mpsc::unbounded_channel();
        let (sock_tx, sockets) = mpsc::unbounded_channel();
        let app = Arc::new(move |_req| {
            let (tx, sock_tx, script) = (tx.clone(), sock_tx.clone(), script.clone());
            async move {
                Reply::websocket(move |ws: WebSocket| async move {
                    let _ = sock_tx.send(ws.clone());
                    drive(ws, script, tx).await
                })
            }
        });
        Self::bind(app, config, records, sockets).await
    }

    /// A server whose WebSocket handler is `handler` itself (no recording);
    /// [`TestServer::socket`] still hands out each socket.
    pub async fn with_handler<F, Fut>(handler: F) -> TestServer
    where
        F: Fn(WebSocket) -> Fut + Send + Sync + Clone + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (_tx, records) = mpsc::unbounded_channel();
        let (sock_tx, sockets) = mpsc::unbounded_channel();
        let app = Arc::new(move |_req| {
            let (handler, sock_tx) = (handler.clone(), sock_tx.clone());
            async move {
                Reply::websocket(move |ws: WebSocket| {
                    let _ = sock_tx.send(ws.clone());
                    handler(ws)
                })
            }
        });
        Self::bind(app, WsConfig::current(true), records, sockets).await
    }

    async fn bind(
        app: Arc<dyn hearth::server::App>,
        config: WsConfig,
        records: mpsc::UnboundedReceiver<Record>,
        sockets: mpsc::UnboundedReceiver<WebSocket>,
    ) -> TestServer {
        let server = Server::bind("127.0.0.1:0".parse().unwrap(), app, config)
            .await
            .unwrap();
        let addr = server.local_addr();
        TestServer {
            server,
            addr,
            records,
            sockets,
        }
    }

    /// The server-side handle of the next connection.
    pub async fn socket(&mut self) -> WebSocket {
        tokio::time::timeout(WAIT, self.sockets.recv())
            .await
            .unwrap()
            .unwrap()
    }

    pub async fn record(&mut self) -> Record {
        tokio::time::timeout(WAIT, self.records.recv())
            .await
            .expect("handler recorded nothing")
            .unwrap()
    }

    /// Records up to and including the close event.
    pub async fn until_close(&mut self) -> Vec<Record> {
        let mut seen = vec![];
        loop {
            let r = self.record().await;
            let done = matches!(
                r,
                Record::Event {
                    event: Event::Close { .. },
                    ..
                }
            );
            seen.push(r);
            if done {
                return seen;
            }
        }
    }

    /// The close event and the readyState its handler saw.
    pub async fn close_event(&mut self) -> (u16, String, bool, u8) {
        match self.until_close().await.pop() {
            Some(Record::Event {
                event:
                    Event::Close {
                        code,
                        reason,
                        was_clean,
                    },
                ready_state,
            }) => (code, reason, was_clean, ready_state),
            other => panic!("no close event: {other:?}"),
        }
    }
}

pub fn close_event(code: u16, reason: &str, was_clean: bool) -> Event {
    Event::Close {
        code,
        reason: reason.into(),
        was_clean,
    }
}
