//! The network transport: a WebSocket end over any byte stream (a TCP
//! connection after the HTTP upgrade). A reader task turns frames into peer
//! inputs; a writer task puts the core's frames on the wire.
//!
//! ```text
//! TCP ──► reader: FrameCodec ─► Assembler ─► Delivery ─► inbound queue ─► WebSocket::next_event ─► Machine
//!                    └─ Ping ─► writer (Pong)
//! TCP ◄── writer: FrameCodec ◄─ WriterCmd ◄─ NetLink ◄─ Machine actions (send/close/auto-reply/Finish)
//! ```

mod assembler;
mod codec;
mod connect;
mod writer;

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{Semaphore, mpsc};
use tokio_util::codec::FramedRead;
use tokio_util::sync::CancellationToken;

pub use assembler::{Assembler, Incoming, Violation};
pub use codec::{CodecError, FrameCodec, RawFrame, Role};
pub use connect::{ConnectError, client_handshake, connect};
pub(crate) use writer::to_frame;

use super::config::WsConfig;
use super::event::PeerInput;
use super::link::{Delivery, InboundTx};
use super::machine::Machine;
use super::socket::WebSocket;
use writer::{NetLink, WriterCmd};

/// Bytes of received messages a socket holds before it stops reading from
/// TCP (the peer then blocks: backpressure instead of unbounded memory).
pub const INBOUND_CREDIT: usize = 1 << 20;

/// Wrap an upgraded connection as a server-side end: OPEN, not yet accepted.
pub fn server_socket<S>(io: S, config: WsConfig) -> WebSocket
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let socket = WebSocket::new(config, rx, None);
    attach(&socket, io, Role::Server, config, tx);
    socket
}

/// Start the reader and writer tasks for `socket` over `io`.
pub(crate) fn attach<S>(socket: &WebSocket, io: S, role: Role, config: WsConfig, inbound: InboundTx)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let wiring = Wiring::new();
    socket.set_link(wiring.link());
    wiring.start(io, role, config, inbound, vec![]);
}

/// A network link whose tasks have not started yet, so that frames queued
/// before it existed (a preamble) can go out first.
struct Wiring {
    cmd_tx: mpsc::UnboundedSender<WriterCmd>,
    cmd_rx: mpsc::UnboundedReceiver<WriterCmd>,
    buffered: Arc<AtomicUsize>,
    stop: CancellationToken,
}

impl Wiring {
    fn new() -> Self {
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        Wiring {
            cmd_tx,
            cmd_rx,
            buffered: Arc::new(AtomicUsize::new(0)),
            stop: CancellationToken::new(),
        }
    }

    fn link(&self) -> Arc<NetLink> {
        Arc::new(NetLink::new(
            self.cmd_tx.clone(),
            self.buffered.clone(),
            self.stop.clone(),
        ))
    }

    fn start<S>(
        self,
        io: S,
        role: Role,
        config: WsConfig,
        inbound: InboundTx,
        preamble: Vec<WriterCmd>,
    ) where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let preamble_bytes: usize = preamble
            .iter()
            .map(|c| match c {
                WriterCmd::Frame { frame, .. } => writer::payload_len(frame),
                _ => 0,
            })
            .sum();
        self.buffered
            .fetch_add(preamble_bytes, std::sync::atomic::Ordering::AcqRel);
        let (read_half, write_half) = tokio::io::split(io);
        let pong = PongSlot::default();
        // Cancelled when the reader sees the end of the stream, or when the
        // writer is done with it: the two halves end together.
        let stop = self.stop;
        tokio::spawn(writer::run(
            write_half,
            role,
            preamble,
            self.cmd_rx,
            self.buffered,
            pong.clone(),
            stop.clone(),
        ));
        // The reader holds a weak sender so that dropping every handle still
        // ends the writer (and, through `stop`, the reader).
        let reader = Reader {
            role,
            config,
            inbound,
            writer: self.cmd_tx.downgrade(),
            pong,
            stop,
        };
        tokio::spawn(reader.run(read_half));
    }
}

/// Why [`couple`] could not attach the network.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CoupleError {
    #[error("the WebSocket is not one end of a WebSocketPair")]
    NotAPairEnd,
    #[error("the other end of the WebSocketPair is gone")]
    PartnerGone,
}

/// Complete a `new Response(null, { status: 101, webSocket: client })`:
/// the network connection `io` takes the place of `client`, so the script's
/// end (`client`'s partner) talks to the network peer directly, through its
/// own state machine. What the script sent to `client` before goes out first.
pub async fn couple<S>(client: WebSocket, io: S, config: WsConfig) -> Result<(), CoupleError>
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let script_end = client.partner().ok_or(CoupleError::PartnerGone)?;
    let link = client.link().ok_or(CoupleError::NotAPairEnd)?;
    let pair_link = link
        .as_any()
        .downcast_ref::<crate::ws::pair::PairLink>()
        .ok_or(CoupleError::NotAPairEnd)?;
    let to_script = pair_link.take_peer().ok_or(CoupleError::PartnerGone)?;
    let wiring = Wiring::new();
    // `swap_link` excludes the script's calls, so every frame it sent is
    // either already in `client`'s queue (the preamble) or goes to the network.
    let queued = client
        .drain_inbound_after(|| script_end.swap_link(wiring.link()))
        .await;
    let preamble = queued
        .into_iter()
        .filter_map(|input| match input {
            PeerInput::Message(m) => Some(crate::ws::Outgoing::Message(m)),
            PeerInput::Close(f) => Some(crate::ws::Outgoing::Close(f)),
            PeerInput::Disconnected | PeerInput::Failed { .. } => None,
        })
        .map(|frame| WriterCmd::Frame {
            frame,
            flushed: None,
        })
        .collect();
    wiring.start(io, Role::Server, config, to_script, preamble);
    Ok(())
}

/// RFC 6455 §5.5.3: only the most recent unanswered Ping needs a Pong, so a
/// peer that pings without reading costs one slot, not a queue.
#[derive(Clone, Default)]
pub(crate) struct PongSlot(Arc<std::sync::Mutex<Option<bytes::Bytes>>>);

impl PongSlot {
    /// Store a payload; true if the slot was empty (the writer needs a nudge).
    fn put(&self, data: bytes::Bytes) -> bool {
        self.0.lock().unwrap().replace(data).is_none()
    }

    pub(crate) fn take(&self) -> Option<bytes::Bytes> {
        self.0.lock().unwrap().take()
    }
}

/// Per-message bookkeeping charged against the inbound credit on top of the
/// payload, so that a flood of empty messages is bounded too.
const MESSAGE_OVERHEAD: usize = 64;

struct Reader {
    role: Role,
    config: WsConfig,
    inbound: InboundTx,
    writer: mpsc::WeakUnboundedSender<WriterCmd>,
    pong: PongSlot,
    stop: CancellationToken,
}

impl Reader {
    async fn run<R: AsyncRead + Send + Unpin>(self, read_half: R) {
        let mut frames = FramedRead::new(
            read_half,
            FrameCodec::new(self.role, self.config.max_message_size),
        );
        let mut assembler = Assembler::new(self.role, self.config.max_message_size);
        let credit = Arc::new(Semaphore::new(INBOUND_CREDIT));
        loop {
            let next = tokio::select! {
                next = frames.next() => next,
                _ = self.stop.cancelled() => return,
                _ = self.inbound.closed() => return,
            };
            let violation = match next.map(|r| r.map(|f| assembler.push(f))) {
                Some(Ok(Ok(None))) => continue,
                Some(Ok(Ok(Some(Incoming::Ping(data))))) => {
                    if self.pong.put(data) {
                        self.to_writer(WriterCmd::Pong);
                    }
                    continue;
                }
                Some(Ok(Ok(Some(Incoming::Message(message))))) => {
                    // Hold credit for the message until the script has taken it.
                    let want = (message.len() + MESSAGE_OVERHEAD).min(INBOUND_CREDIT) as u32;
                    let permit = tokio::select! {
                        p = credit.clone().acquire_many_owned(want) => p.expect("never closed"),
                        _ = self.stop.cancelled() => return,
                        _ = self.inbound.closed() => return,
                    };
                    self.deliver(PeerInput::Message(message), Some(permit));
                    continue;
                }
                Some(Ok(Ok(Some(Incoming::Close(frame))))) => {
                    // §5.5.1: nothing follows a Close; only the end of the
                    // stream matters now (manual mode keeps it open).
                    self.deliver(PeerInput::Close(frame), None);
                    return self.discard(frames.into_inner()).await;
                }
                Some(Ok(Err(Violation { code, reason })))
                | Some(Err(CodecError::Violation { code, reason })) => (code, reason),
                // EOF, FIN or RST without a Close frame.
                None | Some(Err(CodecError::Io(_))) => {
                    self.deliver(PeerInput::Disconnected, None);
                    self.stop.cancel();
                    return;
                }
            };
            // §7.1.7 "fail the WebSocket connection": the Close goes out now,
            // even before accept(); the script's events wait their turn.
            let (code, reason) = violation;
            let frame = crate::ws::CloseFrame {
                code,
                reason: reason.into(),
            };
            self.to_writer(WriterCmd::Frame {
                frame: crate::ws::Outgoing::Close(Some(frame)),
                flushed: None,
            });
            self.to_writer(WriterCmd::Finish);
            self.deliver(
                PeerInput::Failed {
                    code,
                    reason: reason.into(),
                },
                None,
            );
            return self.discard(frames.into_inner()).await;
        }
    }

    fn deliver(&self, input: PeerInput, credit: Option<tokio::sync::OwnedSemaphorePermit>) {
        // A closed queue means every handle is gone; `inbound.closed()` ends us.
        let _ = self.inbound.send(Delivery { input, credit });
    }

    fn to_writer(&self, cmd: WriterCmd) {
        if let Some(writer) = self.writer.upgrade() {
            let _ = writer.send(cmd);
        }
    }

    /// Read and drop bytes until the peer ends the stream or the writer is
    /// done (it allows [`DRAIN_LIMIT`] after our Close). Draining rather than
    /// closing with unread data avoids an RST that could destroy our Close
    /// frame before the peer reads it.
    async fn discard<R: AsyncRead + Unpin>(self, mut read_half: R) {
        use tokio::io::AsyncReadExt;
        let mut scratch = vec![0u8; 16 << 10];
        loop {
            tokio::select! {
                n = read_half.read(&mut scratch) => if !matches!(n, Ok(n) if n > 0) { break },
                _ = self.stop.cancelled() => return,
            }
        }
        self.deliver(PeerInput::Disconnected, None);
        self.stop.cancel();
    }
}

/// How long the writer keeps a finished connection open for the peer to
/// read our Close and end its side, before dropping it.
pub const DRAIN_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A socket for `new WebSocket(url)`: CONNECTING until the handshake is done.
pub(crate) fn outgoing_socket(config: WsConfig) -> (WebSocket, InboundTx) {
    let (tx, rx) = mpsc::unbounded_channel();
    (
        WebSocket::with_machine(Machine::new_outgoing(config), rx, None),
        tx,
    )
}
