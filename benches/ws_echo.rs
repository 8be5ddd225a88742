//! WebSocket echo benchmark: hearth's echo server vs the `ws` package on
//! node, driven by the same Rust load client in the same run.
//!
//!     npm ci --prefix bench          # once: the node baseline
//!     cargo bench --bench ws_echo    # prints a table
//!
//! Load: BENCH_CONNS connections (default 16), each doing sequential round
//! trips (BENCH_ROUNDS, default 2000; a tenth of that for 64 KiB), for message
//! sizes 16 B, 1 KiB and 64 KiB. Everything talks to 127.0.0.1 only.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

mod load;

use hearth::server::{Reply, Server};
use hearth::ws::{Event, WsConfig};
use load::{env_usize, human, load};

fn main() {
    if std::env::var_os("HEARTH_BENCH_SERVE").is_some() {
        return serve();
    }
    let conns = env_usize("BENCH_CONNS", 16);
    let rounds = env_usize("BENCH_ROUNDS", 2000);
    let mut targets = vec![("hearth", spawn_hearth())];
    match spawn_node() {
        Ok(node) => targets.push(("node ws", node)),
        Err(why) => eprintln!("node baseline skipped: {why}"),
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "{conns} connections; round trips per connection: {rounds} (64 KiB: {})",
        rounds / 10
    );
    println!(
        "{:<9} {:>8} {:>12} {:>10} {:>10}",
        "server", "size", "round trips/s", "p50 µs", "p99 µs"
    );
    for size in [16usize, 1024, 64 << 10] {
        let rounds = if size >= 64 << 10 {
            (rounds / 10).max(1)
        } else {
            rounds
        };
        for (name, target) in &targets {
            let r = rt.block_on(load(target.port, conns, rounds, size));
            println!(
                "{:<9} {:>8} {:>12.0} {:>10} {:>10}",
                name,
                human(size),
                r.per_sec,
                r.p50,
                r.p99
            );
        }
    }
}

struct Target {
    port: u16,
    child: Child,
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start a server process and read "listening <port>" from its stdout.
fn start(mut cmd: Command) -> Result<Target, String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let port = line
        .trim()
        .strip_prefix("listening ")
        .and_then(|p| p.parse().ok());
    match port {
        Some(port) => Ok(Target { port, child }),
        None => {
            let _ = child.kill();
            Err(format!("server did not start (said {line:?})"))
        }
    }
}

fn spawn_hearth() -> Target {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env("HEARTH_BENCH_SERVE", "1");
    start(cmd).expect("hearth echo server")
}

fn spawn_node() -> Result<Target, String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/bench");
    if !std::path::Path::new(dir).join("node_modules/ws").exists() {
        return Err("run `npm ci --prefix bench` first".into());
    }
    let mut cmd = Command::new("node");
    cmd.arg(format!("{dir}/node-ws-echo.mjs"));
    start(cmd)
}

/// The hearth side: an echo server on the WebSocket core, 2 worker threads.
fn serve() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = Arc::new(|_req| async {
            Reply::websocket(|ws| async move {
                ws.accept(false).unwrap();
                while let Some(event) = ws.next_event().await {
                    if let Event::Message(m) = event {
                        let _ = ws.send(m);
                    }
                }
            })
        });
        let server = Server::bind("127.0.0.1:0".parse().unwrap(), app, WsConfig::current(true))
            .await
            .unwrap();
        let mut signal = hearth::server::ShutdownSignal::install().unwrap();
        println!("listening {}", server.local_addr().port());
        signal.recv().await;
        server.shutdown().await;
    });
}
