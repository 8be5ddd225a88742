//! `hearth run`: serve a module worker over HTTP and WebSocket, like
//! `wrangler dev`: one line per request, Ctrl-C to stop.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use super::settings::SettingsArgs;
use crate::runtime::{Worker, WorkerOptions};
use crate::server::{Server, ShutdownSignal, WorkerApp};
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
        let app = Arc::new(WorkerApp::new(Arc::new(worker), true));
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
