//! JS worker benchmark: `hearth run` vs workerd (npm `workerd`), both serving
//! the same module worker (bench/echo-worker.js), in the same run.
//!
//!     npm ci --prefix bench              # once: installs workerd (and ws)
//!     cargo bench --bench worker_echo    # prints two tables
//!
//! 1. Cold start: spawn the server on a free port and time how long until the
//!    first `GET /` gets a 200 (polling connect every millisecond), BENCH_COLD
//!    (default 5) times per runtime after one untimed warm-up run; min/median.
//! 2. WebSocket echo through the JS worker: BENCH_CONNS connections (default
//!    16), each doing sequential round trips (BENCH_ROUNDS, default 2000; a
//!    tenth of that for 64 KiB) for 16 B, 1 KiB and 64 KiB binary messages.
//!    Every reply is checked byte for byte.
//!
//! If workerd is not installed its rows are skipped with a hint. Everything
//! talks to 127.0.0.1 only.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod load;

use futures_util::{SinkExt, StreamExt};
use load::{env_usize, human, load};
use tokio_tungstenite::tungstenite::Message;

const BENCH_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bench");
const COMPAT_DATE: &str = "2026-11-17";

/// How to start one runtime serving bench/echo-worker.js on a given port.
struct Runtime {
    name: &'static str,
    command: Box<dyn Fn(u16) -> Command>,
}

fn main() {
    let conns = env_usize("BENCH_CONNS", 16);
    let rounds = env_usize("BENCH_ROUNDS", 2000);
    let cold_runs = env_usize("BENCH_COLD", 5).max(1);

    let mut runtimes = vec![hearth()];
    match workerd() {
        Ok(w) => runtimes.push(w),
        Err(why) => eprintln!("workerd skipped: {why}"),
    }

    println!("cold start: spawn to first `GET /` response, {cold_runs} runs (after 1 warm-up)");
    println!("{:<8} {:>10} {:>10}", "runtime", "min ms", "median ms");
    for rt in &runtimes {
        let _ = cold_start(rt); // warm the page cache; not counted
        let mut times: Vec<f64> = (0..cold_runs)
            .map(|_| cold_start(rt).unwrap_or_else(|e| panic!("{}: {e}", rt.name)))
            .map(|d| d.as_secs_f64() * 1e3)
            .collect();
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{:<8} {:>10.1} {:>10.1}",
            rt.name,
            times[0],
            times[times.len() / 2]
        );
    }
    println!();

    let servers: Vec<(&str, Server)> = runtimes
        .iter()
        .map(|rt| {
            (
                rt.name,
                Server::start(rt).unwrap_or_else(|e| panic!("{}: {e}", rt.name)),
            )
        })
        .collect();
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (name, server) in &servers {
        tokio.block_on(check_echo(server.port));
        eprintln!("{name}: echo verified (text and binary)");
    }
    println!(
        "echo through the JS worker: {conns} connections; round trips per connection: {rounds} (64 KiB: {})",
        (rounds / 10).max(1)
    );
    println!(
        "{:<8} {:>8} {:>13} {:>10} {:>10}",
        "runtime", "size", "round trips/s", "p50 µs", "p99 µs"
    );
    for size in [16usize, 1024, 64 << 10] {
        let rounds = if size >= 64 << 10 {
            (rounds / 10).max(1)
        } else {
            rounds
        };
        for (name, server) in &servers {
            let r = tokio.block_on(load(server.port, conns, rounds, size));
            println!(
                "{:<8} {:>8} {:>13.0} {:>10} {:>10}",
                name,
                human(size),
                r.per_sec,
                r.p50,
                r.p99
            );
        }
    }
}

fn hearth() -> Runtime {
    Runtime {
        name: "hearth",
        command: Box::new(|port| {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
            cmd.arg("run")
                .arg(Path::new(BENCH_DIR).join("echo-worker.js"))
                .args([
                    "--port",
                    &port.to_string(),
                    "--compatibility-date",
                    COMPAT_DATE,
                ]);
            cmd
        }),
    }
}

fn workerd() -> Result<Runtime, String> {
    let bin = workerd_binary().ok_or("workerd is not installed; run `npm ci --prefix bench`")?;
    Ok(Runtime {
        name: "workerd",
        command: Box::new(move |port| {
            let mut cmd = Command::new(&bin);
            cmd.arg("serve")
                .arg(Path::new(BENCH_DIR).join("workerd-echo.capnp"))
                .arg(format!("--socket-addr=http=127.0.0.1:{port}"));
            cmd
        }),
    })
}

/// The native binary npm installed: the platform package's, else the
/// `workerd` package's bin (which its postinstall makes the same binary).
fn workerd_binary() -> Option<PathBuf> {
    let modules = Path::new(BENCH_DIR).join("node_modules");
    [
        "@cloudflare/workerd-linux-64/bin/workerd",
        "@cloudflare/workerd-linux-arm64/bin/workerd",
        "@cloudflare/workerd-darwin-64/bin/workerd",
        "@cloudflare/workerd-darwin-arm64/bin/workerd",
        ".bin/workerd",
    ]
    .iter()
    .map(|p| modules.join(p))
    .find(|p| p.is_file())
}

/// A running server process, killed on drop.
struct Server {
    port: u16,
    child: Child,
}

impl Server {
    /// Spawn `rt` on a free port and wait for its first successful `GET /`.
    fn start(rt: &Runtime) -> Result<Server, String> {
        Server::start_timed(rt).map(|(server, _)| server)
    }

    fn start_timed(rt: &Runtime) -> Result<(Server, Duration), String> {
        let port = free_port();
        let start = Instant::now();
        let child = (rt.command)(port)
            .stdin(Stdio::null())
            .stdout(Stdio::null()) // hearth logs each request there
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut server = Server { port, child };
        let deadline = start + Duration::from_secs(20);
        loop {
            if get_ok(port) {
                return Ok((server, start.elapsed()));
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("exited before answering: {status}"));
            }
            if Instant::now() > deadline {
                return Err("no response to GET / within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cold_start(rt: &Runtime) -> Result<Duration, String> {
    Server::start_timed(rt).map(|(_server, took)| took)
}

/// Ask for a port the OS considers free (released again before use).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One `GET /` over a fresh connection; true on a 200 response.
fn get_ok(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let req = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// Text comes back as the same text, binary as the same bytes.
async fn check_echo(port: u16) {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}/"))
        .await
        .expect("connect");
    let sent = [
        Message::text("héllo, worker"),
        Message::binary(vec![0u8, 1, 2, 0xfe, 0xff]),
    ];
    for msg in sent {
        ws.send(msg.clone()).await.unwrap();
        let got = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("echo timed out")
            .expect("socket ended")
            .expect("socket error");
        assert_eq!(got, msg, "echo mismatch");
    }
    let _ = ws.close(None).await;
}
