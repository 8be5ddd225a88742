//! A raw-frame WebSocket client for tests: it can send any frame (empty
//! Close, any code, fragments, unmasked, reserved bits), and drop TCP with a
//! FIN or an RST without a Close frame.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const TEXT: u8 = 0x1;
pub const BINARY: u8 = 0x2;
pub const CONTINUATION: u8 = 0x0;
pub const CLOSE: u8 = 0x8;
pub const PING: u8 = 0x9;
pub const PONG: u8 = 0xA;

/// Generous bound for things that must happen; hit only when a test fails.
pub const WAIT: Duration = Duration::from_secs(10);
/// Short bound for "nothing arrives" checks.
pub const QUIET: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub fin: bool,
    pub opcode: u8,
    pub payload: Vec<u8>,
}

impl Frame {
    /// The (code, reason) of a Close frame; `None` for an empty one.
    pub fn close_code_reason(&self) -> Option<(u16, String)> {
        assert_eq!(self.opcode, CLOSE, "not a Close frame: {self:?}");
        if self.payload.is_empty() {
            return None;
        }
        let code = u16::from_be_bytes([self.payload[0], self.payload[1]]);
        Some((code, String::from_utf8(self.payload[2..].to_vec()).unwrap()))
    }
}

/// What reading the socket produced.
#[derive(Debug, PartialEq, Eq)]
pub enum Read {
    Frame(Frame),
    /// The server ended TCP with a FIN.
    Eof,
    /// Nothing within the wait.
    Nothing,
}

pub struct RawClient {
    pub tcp: TcpStream,
    buf: Vec<u8>,
    pub response_head: String,
    pub write_error: Option<std::io::Error>,
}

pub fn close_payload(code: u16, reason: &[u8]) -> Vec<u8> {
    let mut p = code.to_be_bytes().to_vec();
    p.extend_from_slice(reason);
    p
}

impl RawClient {
    /// Connect and complete the opening handshake (asserts a 101).
    pub async fn connect(addr: SocketAddr) -> RawClient {
        Self::connect_path(addr, "/").await
    }

    /// [`RawClient::connect`] to a path.
    pub async fn connect_path(addr: SocketAddr, path: &str) -> RawClient {
        let c = Self::request(addr, path, &[]).await;
        assert!(
            c.response_head.starts_with("HTTP/1.1 101"),
            "{}",
            c.response_head
        );
        c
    }

    /// Send an upgrade request with extra header lines; keep the response head.
    pub async fn request(addr: SocketAddr, path: &str, extra: &[&str]) -> RawClient {
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let mut req = format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        );
        for line in extra {
            req.push_str(line);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        tcp.write_all(req.as_bytes()).await.unwrap();
        let mut c = RawClient {
            tcp,
            buf: vec![],
            response_head: String::new(),
            write_error: None,
        };
        loop {
            if let Some(end) = c.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                c.response_head = String::from_utf8_lossy(&c.buf[..end + 4]).into_owned();
                c.buf.drain(..end + 4);
                return c;
            }
            let mut chunk = [0u8; 4096];
            let n = tokio::time::timeout(WAIT, c.tcp.read(&mut chunk))
                .await
                .unwrap()
                .unwrap();
            assert!(n > 0, "server closed during handshake");
            c.buf.extend_from_slice(&chunk[..n]);
        }
    }

    /// Write one frame exactly as described.
    pub async fn send_frame(
        &mut self,
        fin: bool,
        rsv: u8,
        opcode: u8,
        payload: &[u8],
        masked: bool,
    ) {
        let mut out = vec![(if fin { 0x80 } else { 0 }) | (rsv << 4) | opcode];
        let mask_bit = if masked { 0x80 } else { 0 };
        match payload.len() {
            n if n < 126 => out.push(mask_bit | n as u8),
            n if n <= 0xFFFF => {
                out.push(mask_bit | 126);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                out.push(mask_bit | 127);
                out.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        if masked {
            let mask = [0x37, 0xfa, 0x21, 0x3d];
            out.extend_from_slice(&mask);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i & 3]));
        } else {
            out.extend_from_slice(payload);
        }
        // The server may fail the connection while we are still writing
        // (an oversize frame): keep the error, the test reads what came back.
        if let Err(e) = self.tcp.write_all(&out).await {
            self.write_error.get_or_insert(e);
        }
    }

    pub async fn send(&mut self, opcode: u8, payload: &[u8]) {
        self.send_frame(true, 0, opcode, payload, true).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.send(TEXT, text.as_bytes()).await;
    }

    /// A Close frame with a code and reason; `None` sends an empty Close frame.
    pub async fn send_close(&mut self, close: Option<(u16, &str)>) {
        let payload = close.map_or(vec![], |(c, r)| close_payload(c, r.as_bytes()));
        self.send(CLOSE, &payload).await;
    }

    /// Next frame, EOF, or nothing within `wait`.
    pub async fn read_within(&mut self, wait: Duration) -> Read {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some((frame, used)) = parse(&self.buf) {
                self.buf.drain(..used);
                return Read::Frame(frame);
            }
            let mut chunk = vec![0u8; 64 << 10];
            match tokio::time::timeout_at(deadline, self.tcp.read(&mut chunk)).await {
                Err(_) => return Read::Nothing,
                Ok(Ok(0)) => return Read::Eof,
                Ok(Ok(n)) => self.buf.extend_from_slice(&chunk[..n]),
                Ok(Err(e)) => panic!("read failed: {e}"),
            }
        }
    }

    /// The next frame (must come).
    pub async fn read(&mut self) -> Frame {
        match self.read_within(WAIT).await {
            Read::Frame(f) => f,
            other => panic!("expected a frame, got {other:?}"),
        }
    }

    /// The server must end TCP (FIN) without sending anything more.
    pub async fn expect_eof(&mut self) {
        assert_eq!(self.read_within(WAIT).await, Read::Eof);
    }

    /// Nothing may arrive for a short while (the connection stays open).
    pub async fn expect_quiet(&mut self) {
        assert_eq!(self.read_within(QUIET).await, Read::Nothing);
    }

    /// Half-close: TCP FIN without a Close frame.
    pub async fn fin(&mut self) {
        self.tcp.shutdown().await.unwrap();
    }

    /// Reset: drop the connection with an RST (SO_LINGER 0) without a Close frame.
    pub fn rst(self) {
        let std = self.tcp.into_std().unwrap();
        socket2::SockRef::from(&std)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(std);
    }
}

/// Parse one unmasked server frame from the front of `buf`.
fn parse(buf: &[u8]) -> Option<(Frame, usize)> {
    if buf.len() < 2 {
        return None;
    }
    assert_eq!(buf[1] & 0x80, 0, "server frames must not be masked");
    let (len, head) = match buf[1] & 0x7f {
        126 if buf.len() >= 4 => (u16::from_be_bytes([buf[2], buf[3]]) as usize, 4),
        127 if buf.len() >= 10 => (
            u64::from_be_bytes(buf[2..10].try_into().unwrap()) as usize,
            10,
        ),
        126 | 127 => return None,
        n => (n as usize, 2),
    };
    if buf.len() < head + len {
        return None;
    }
    let frame = Frame {
        fin: buf[0] & 0x80 != 0,
        opcode: buf[0] & 0x0f,
        payload: buf[head..head + len].to_vec(),
    };
    Some((frame, head + len))
}
