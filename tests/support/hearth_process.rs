//! `hearth run` as a real process: start it on a free port, read its output
//! line by line, stop it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const LINE_WAIT: Duration = Duration::from_secs(20);

pub struct Hearth {
    pub child: Child,
    pub addr: SocketAddr,
    pub stdout: mpsc::Receiver<String>,
    pub stderr: mpsc::Receiver<String>,
}

fn lines(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Write `files` (name, source) into `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, source) in files {
        std::fs::write(dir.join(name), source).unwrap();
    }
}

/// What a `hearth` process that ran to the end printed.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `hearth ARGS` in `dir`, run to the end with no stdin; `COLUMNS` is fixed
/// so that output fitted to the terminal is the same everywhere.
pub fn hearth(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .current_dir(dir)
        .args(args)
        .env("COLUMNS", "200")
        .stdin(Stdio::null())
        .output()
        .expect("run hearth");
    Output {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.current_dir(dir)
        .arg("run")
        .args(args)
        .stdin(Stdio::null());
    cmd
}

impl Hearth {
    /// `hearth run --port 0 ARGS` in `dir`; waits for "Listening on".
    pub fn start(dir: &Path, args: &[&str]) -> Hearth {
        let mut child = command(dir, &["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        loop {
            let line = match stdout.recv_timeout(LINE_WAIT) {
                Ok(line) => line,
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let errors: Vec<String> = stderr.try_iter().collect();
                    panic!("hearth did not start: {}", errors.join("\n"));
                }
            };
            if let Some(addr) = line.strip_prefix("Listening on http://") {
                return Hearth {
                    addr: addr.parse().unwrap(),
                    child,
                    stdout,
                    stderr,
                };
            }
        }
    }

    /// The next stdout line containing `needle` (skipping others).
    pub fn stdout_line(&self, needle: &str) -> String {
        wait_line(&self.stdout, needle)
    }

    pub fn stderr_text(&self, needle: &str) -> String {
        wait_line(&self.stderr, needle)
    }

    /// A plain HTTP/1.1 GET; returns (status, body).
    pub async fn get(&self, path: &str) -> (u16, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tcp = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        tcp.write_all(req.as_bytes()).await.unwrap();
        let mut text = String::new();
        tokio::time::timeout(LINE_WAIT, tcp.read_to_string(&mut text))
            .await
            .unwrap()
            .unwrap();
        let status = text[9..12].parse().unwrap();
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }
}

fn wait_line(rx: &mpsc::Receiver<String>, needle: &str) -> String {
    loop {
        match rx.recv_timeout(LINE_WAIT) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(_) => panic!("no output line containing {needle:?}"),
        }
    }
}

impl Drop for Hearth {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Hearth {
    /// The next stdout line containing `needle` and the `count - 1` lines
    /// printed right after it (one multi-line `console.log`).
    pub fn stdout_lines(&self, needle: &str, count: usize) -> Vec<String> {
        let mut lines = vec![self.stdout_line(needle)];
        while lines.len() < count {
            match self.stdout.recv_timeout(LINE_WAIT) {
                Ok(line) => lines.push(line),
                Err(_) => panic!("only {} lines from {needle:?} on: {lines:?}", lines.len()),
            }
        }
        lines
    }
}
