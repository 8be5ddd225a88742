//! `hearth run`: serve a module worker over HTTP and WebSocket, like
//! `wrangler dev`: one line per request, Ctrl-C to stop.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Response, StatusCode};
use http_body_util::Full;

use super::settings::SettingsArgs;
use crate::runtime::{FetchRequest, Worker, WorkerOptions};
use crate::server::{BoxFuture, Reply, Request, Server, ShutdownSignal};
use crate::ws::WsConfig;

/// Serve a module worker (`export default { fetch }`) on a local port.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Serve a module worker over HTTP and WebSocket until Ctrl-C, logging each \
                  request. The worker runs under the compatibility date and flags from the \
                  command line or the config file (see `hearth flags`).\n\n\
                  A syntax error in the worker stops start-up with its location; an exception \
                  in fetch() answers 500 and logs the stack; the server keeps running.",
    after_help = "Examples:\n  \
                  hearth run examples/echo/worker.js\n  \
                  hearth run --config examples/echo/wrangler.toml --port 9000\n  \
                  hearth run worker.js --compatibility-date 2026-04-06"
)]
pub struct RunArgs {
    /// The worker module [default: `main` from the config file]
    pub script: Option<PathBuf>,

    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,

    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub ip: IpAddr,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// CPU time one request (or timer, or event) may use before it is ended, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    pub cpu_limit: u64,
}

pub fn run(args: RunArgs) -> ExitCode {
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: RunArgs) -> Result<(), String> {
    let (settings, resolution) = args.settings.resolve()?;
    for warning in &resolution.warnings {
        eprintln!("warning: {}", settings.locate(warning.input(), warning));
    }
    let main = args
        .script
        .clone()
        .or_else(|| settings.main.clone())
        .ok_or(
            "no worker to run: pass its file (hearth run worker.js) or set `main` in wrangler.toml",
        )?;
    let mut options = WorkerOptions::new(main.clone(), resolution.flags.clone());
    options.vars = settings.vars.clone();
    options.cpu_limit = Duration::from_millis(args.cpu_limit);
    let worker = Worker::start(options).map_err(|e| e.to_string())?;
    let ws_config = WsConfig::from_resolved(&resolution.flags);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let mut signal = ShutdownSignal::install().map_err(|e| e.to_string())?;
        let addr = SocketAddr::new(args.ip, args.port);
        let app = Arc::new(WorkerApp {
            worker: Arc::new(worker),
        });
        let server = Server::bind(addr, app, ws_config)
            .await
            .map_err(|e| format!("could not listen on {addr}: {e}"))?;
        println!(
            "hearth: {} (compatibility date {})",
            main.display(),
            resolution.date
        );
        println!("Listening on http://{}", server.local_addr());
        signal.recv().await;
        println!("Shutting down…");
        server.shutdown().await;
        Ok(())
    })
}

struct WorkerApp {
    worker: Arc<Worker>,
}

impl crate::server::App for WorkerApp {
    fn call(&self, request: Request) -> BoxFuture<Reply> {
        let worker = self.worker.clone();
        Box::pin(async move {
            let started = Instant::now();
            let method = request.head.method.to_string();
            let path = request
                .head
                .uri
                .path_and_query()
                .map_or("/".into(), |p| p.to_string());
            let host = request
                .head
                .headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let fetch = FetchRequest {
                method: method.clone(),
                url: format!("http://{host}{path}"),
                headers: request
                    .head
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: request.body,
            };
            let (status, reply) = match worker.fetch(fetch).await {
                Ok(response) => match response.web_socket {
                    Some(client) if response.status == 101 => {
                        let protocol = response
                            .headers
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("sec-websocket-protocol"))
                            .map(|(_, v)| v.clone());
                        (101, Reply::Adopt { client, protocol })
                    }
                    _ => (
                        response.status,
                        Reply::Http(to_http(response.status, &response.headers, response.body)),
                    ),
                },
                Err(e) => {
                    eprintln!("✘ {method} {path}: {e}");
                    (
                        500,
                        Reply::text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
                    )
                }
            };
            let reason = StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            println!(
                "{method} {path} {status} {reason} ({}ms)",
                started.elapsed().as_millis()
            );
            reply
        })
    }
}

fn to_http(status: u16, headers: &[(String, String)], body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            response.headers_mut().append(k, v);
        }
    }
    response
}
