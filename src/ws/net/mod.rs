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
pub use connect::{ConnectError, connect};

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
    let (read_half, write_half) = tokio::io::split(io);
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let buffered = Arc::new(AtomicUsize::new(0));
    let stop = CancellationToken::new();
    tokio::spawn(writer::run(write_half, role, cmd_rx, buffered.clone(), stop.clone()));
    // The reader holds a weak sender (for Pongs) so that dropping every
    // handle still ends the writer.
    tokio::spawn(read_loop(read_half, role, config, inbound, cmd_tx.downgrade(), stop));
    socket.set_link(Arc::new(NetLink::new(cmd_tx, buffered)));
}

async fn read_loop<R: AsyncRead + Send + Unpin>(
    read_half: R,
    role: Role,
    config: WsConfig,
    inbound: InboundTx,
    writer: mpsc::WeakUnboundedSender<WriterCmd>,
    stop: CancellationToken,
) {
    let mut frames = FramedRead::new(read_half, FrameCodec::new(role, config.max_message_size));
    let mut assembler = Assembler::new(role, config.max_message_size);
    let credit = Arc::new(Semaphore::new(INBOUND_CREDIT));
    let deliver = |input, permit| inbound.send(Delivery { input, credit: permit }).is_ok();
    loop {
        let next = tokio::select! {
            next = frames.next() => next,
            _ = stop.cancelled() => return,
        };
        let frame = match next {
            Some(Ok(frame)) => frame,
            Some(Err(CodecError::Violation { code, reason })) => {
                deliver(PeerInput::Failed { code, reason: reason.into() }, None);
                return drain(frames.into_inner(), stop).await;
            }
            // EOF, FIN or RST without a Close frame (after one, the machine ignores it).
            None | Some(Err(CodecError::Io(_))) => {
                deliver(PeerInput::Disconnected, None);
                return;
            }
        };
        match assembler.push(frame) {
            Ok(None) => {}
            Ok(Some(Incoming::Ping(data))) => {
                if let Some(writer) = writer.upgrade() {
                    let _ = writer.send(WriterCmd::Pong(data));
                }
            }
            Ok(Some(Incoming::Message(message))) => {
                // Hold credit for the message until the script has taken it.
                let want = message.len().clamp(1, INBOUND_CREDIT) as u32;
                let Ok(permit) = credit.clone().acquire_many_owned(want).await else { return };
                if !deliver(PeerInput::Message(message), Some(permit)) {
                    return;
                }
            }
            Ok(Some(Incoming::Close(frame))) => {
                if !deliver(PeerInput::Close(frame), None) {
                    return;
                }
            }
            Err(Violation { code, reason }) => {
                deliver(PeerInput::Failed { code, reason: reason.into() }, None);
                return drain(frames.into_inner(), stop).await;
            }
        }
    }
}

/// After failing the connection, read and discard what the peer still sends
/// (bounded in time): closing a socket with unread data makes the kernel send
/// an RST, which can destroy our Close frame before the peer reads it.
async fn drain<R: AsyncRead + Unpin>(mut read_half: R, stop: CancellationToken) {
    use tokio::io::AsyncReadExt;
    let mut scratch = vec![0u8; 64 << 10];
    let _ = tokio::time::timeout(DRAIN_LIMIT, async {
        loop {
            tokio::select! {
                n = read_half.read(&mut scratch) => if !matches!(n, Ok(n) if n > 0) { return },
                _ = stop.cancelled() => return,
            }
        }
    })
    .await;
}

/// How long a failed connection keeps reading to let its Close frame arrive.
const DRAIN_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A socket for `new WebSocket(url)`: CONNECTING until the handshake is done.
pub(crate) fn outgoing_socket(config: WsConfig) -> (WebSocket, InboundTx) {
    let (tx, rx) = mpsc::unbounded_channel();
    (WebSocket::with_machine(Machine::new_outgoing(config), rx, None), tx)
}
