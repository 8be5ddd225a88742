//! The writer task and the [`Link`] that feeds it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use futures_util::SinkExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};
use tokio_util::codec::FramedWrite;
use tokio_util::sync::CancellationToken;
use tungstenite::protocol::frame::coding::{Data, OpCode};
use tungstenite::protocol::frame::{Frame, FrameHeader};

use super::codec::{FrameCodec, Role};
use super::{DRAIN_LIMIT, PongSlot};
use crate::ws::close;
use crate::ws::event::{Message, Outgoing};
use crate::ws::link::Link;

pub enum WriterCmd {
    Frame {
        frame: Outgoing,
        flushed: Option<oneshot::Sender<()>>,
    },
    /// A Pong is waiting in the [`PongSlot`].
    Pong,
    Finish,
}

pub struct NetLink {
    tx: mpsc::UnboundedSender<WriterCmd>,
    buffered: Arc<AtomicUsize>,
    /// Cancelled once the connection is over (the writer and reader ended).
    done: CancellationToken,
}

impl NetLink {
    pub fn new(
        tx: mpsc::UnboundedSender<WriterCmd>,
        buffered: Arc<AtomicUsize>,
        done: CancellationToken,
    ) -> Self {
        NetLink { tx, buffered, done }
    }
}

pub(crate) fn payload_len(frame: &Outgoing) -> usize {
    match frame {
        Outgoing::Message(m) => m.len(),
        Outgoing::Close(_) => 0,
    }
}

impl Link for NetLink {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn send(&self, frame: Outgoing, flushed: Option<oneshot::Sender<()>>) {
        self.buffered
            .fetch_add(payload_len(&frame), Ordering::AcqRel);
        // If the writer is gone the connection is too; the reader reports it.
        let _ = self.tx.send(WriterCmd::Frame { frame, flushed });
    }

    fn finish(&self) {
        let _ = self.tx.send(WriterCmd::Finish);
    }

    fn buffered_amount(&self) -> usize {
        self.buffered.load(Ordering::Acquire)
    }

    fn done(&self) -> Option<CancellationToken> {
        Some(self.done.clone())
    }
}

/// The frame that carries `frame` (unmasked; the codec masks client frames).
pub(crate) fn to_frame(frame: &Outgoing) -> Frame {
    match frame {
        Outgoing::Message(Message::Text(s)) => {
            Frame::message(Bytes::from(s.clone()), OpCode::Data(Data::Text), true)
        }
        Outgoing::Message(Message::Binary(b)) => {
            Frame::message(b.clone(), OpCode::Data(Data::Binary), true)
        }
        Outgoing::Close(f) => {
            Frame::from_payload(FrameHeader::default(), close::close_payload(f.as_ref()))
        }
    }
}

/// Write frames in order, flushing once per batch; after our Close frame
/// nothing else may be sent (RFC 6455 §5.5.1). Then end the connection:
/// on `Finish` the server sends its FIN first (§7.1.1), the client waits for
/// the server's; either way the peer gets [`DRAIN_LIMIT`] to end its side.
/// When every handle is gone (no `Finish`), the connection just ends.
pub async fn run<W: AsyncWrite + Send + Unpin>(
    write_half: W,
    role: Role,
    preamble: Vec<WriterCmd>,
    mut rx: mpsc::UnboundedReceiver<WriterCmd>,
    buffered: Arc<AtomicUsize>,
    pong: PongSlot,
    stop: CancellationToken,
) {
    let mut sink = FramedWrite::new(write_half, FrameCodec::new(role, usize::MAX));
    let mut preamble = preamble.into_iter();
    let mut close_sent = false;
    let mut receipts = vec![];
    let mut finish = false;
    'outer: loop {
        // What was queued before this transport existed goes first.
        let cmd = match preamble.next() {
            Some(cmd) => Some(cmd),
            None => tokio::select! {
                cmd = rx.recv() => cmd,
                // The reader saw the end of the stream: nobody reads our frames.
                _ = stop.cancelled() => None,
            },
        };
        let Some(cmd) = cmd else { break };
        let mut next = Some(cmd);
        while let Some(cmd) = next.take() {
            let frame = match cmd {
                WriterCmd::Frame { frame, flushed } => {
                    buffered.fetch_sub(payload_len(&frame), Ordering::AcqRel);
                    receipts.extend(flushed);
                    let is_close = matches!(frame, Outgoing::Close(_));
                    let out = (!close_sent).then(|| to_frame(&frame));
                    close_sent |= is_close;
                    out
                }
                WriterCmd::Pong => pong.take().filter(|_| !close_sent).map(Frame::pong),
                WriterCmd::Finish => {
                    finish = true;
                    None
                }
            };
            if let Some(frame) = frame
                && sink.feed(frame).await.is_err()
            {
                break 'outer;
            }
            next = preamble.next().or_else(|| rx.try_recv().ok());
        }
        if sink.flush().await.is_err() {
            break;
        }
        for receipt in receipts.drain(..) {
            let _ = receipt.send(());
        }
        if finish {
            // Nothing more will be written: resolve every pending receipt now
            // (dropping a sender wakes its waiter) rather than after the drain.
            rx.close();
            while rx.try_recv().is_ok() {}
            if role == Role::Server {
                let _ = sink.get_mut().shutdown().await;
            }
            let _ = tokio::time::timeout(DRAIN_LIMIT, stop.cancelled()).await;
            break;
        }
    }
    // Dropping the write half (and, via `stop`, the reader's read half)
    // closes the socket.
    stop.cancel();
}
