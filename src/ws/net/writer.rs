//! The writer task and the [`Link`] that feeds it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use futures_util::SinkExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};
use tokio_util::codec::FramedWrite;
use tokio_util::sync::CancellationToken;
use tungstenite::protocol::frame::{Frame, FrameHeader};
use tungstenite::protocol::frame::coding::{Data, OpCode};

use super::codec::{FrameCodec, Role};
use crate::ws::close;
use crate::ws::event::{Message, Outgoing};
use crate::ws::link::Link;

pub enum WriterCmd {
    Frame { frame: Outgoing, flushed: Option<oneshot::Sender<()>> },
    Pong(Bytes),
    Finish,
}

pub struct NetLink {
    tx: mpsc::UnboundedSender<WriterCmd>,
    buffered: Arc<AtomicUsize>,
}

impl NetLink {
    pub fn new(tx: mpsc::UnboundedSender<WriterCmd>, buffered: Arc<AtomicUsize>) -> Self {
        NetLink { tx, buffered }
    }
}

fn payload_len(frame: &Outgoing) -> usize {
    match frame {
        Outgoing::Message(m) => m.len(),
        Outgoing::Close(_) => 0,
    }
}

impl Link for NetLink {
    fn send(&self, frame: Outgoing, flushed: Option<oneshot::Sender<()>>) {
        self.buffered.fetch_add(payload_len(&frame), Ordering::AcqRel);
        // If the writer is gone the connection is too; the reader reports it.
        let _ = self.tx.send(WriterCmd::Frame { frame, flushed });
    }

    fn finish(&self) {
        let _ = self.tx.send(WriterCmd::Finish);
    }

    fn buffered_amount(&self) -> usize {
        self.buffered.load(Ordering::Acquire)
    }
}

fn to_frame(frame: &Outgoing) -> Frame {
    match frame {
        Outgoing::Message(Message::Text(s)) => Frame::message(Bytes::from(s.clone()), OpCode::Data(Data::Text), true),
        Outgoing::Message(Message::Binary(b)) => Frame::message(b.clone(), OpCode::Data(Data::Binary), true),
        Outgoing::Close(f) => Frame::from_payload(FrameHeader::default(), close::close_payload(f.as_ref())),
    }
}

/// Write frames in order, flushing once per batch; after our Close frame
/// nothing else may be sent (RFC 6455 §5.5.1). On `Finish`, or when every
/// handle is gone, end the stream with a FIN and stop the reader if needed.
pub async fn run<W: AsyncWrite + Send + Unpin>(
    write_half: W,
    role: Role,
    mut rx: mpsc::UnboundedReceiver<WriterCmd>,
    buffered: Arc<AtomicUsize>,
    stop: CancellationToken,
) {
    let mut sink = FramedWrite::new(write_half, FrameCodec::new(role, usize::MAX));
    let mut close_sent = false;
    let mut receipts = vec![];
    let mut finish = false;
    'outer: while let Some(cmd) = rx.recv().await {
        let mut next = Some(cmd);
        while let Some(cmd) = next.take() {
            match cmd {
                WriterCmd::Frame { frame, flushed } => {
                    let len = payload_len(&frame);
                    if !close_sent {
                        close_sent = matches!(frame, Outgoing::Close(_));
                        if sink.feed(to_frame(&frame)).await.is_err() {
                            break 'outer;
                        }
                    }
                    buffered.fetch_sub(len, Ordering::AcqRel);
                    receipts.extend(flushed);
                }
                WriterCmd::Pong(data) if !close_sent => {
                    if sink.feed(Frame::pong(data)).await.is_err() {
                        break 'outer;
                    }
                }
                WriterCmd::Pong(_) => {}
                WriterCmd::Finish => finish = true,
            }
            next = rx.try_recv().ok();
        }
        if sink.flush().await.is_err() {
            break;
        }
        for receipt in receipts.drain(..) {
            let _ = receipt.send(());
        }
        if finish {
            break;
        }
    }
    // RFC 6455 §7.1.1: the server ends the TCP connection first. A dropped
    // handle (no Finish) ends it too, and the reader with it.
    let _ = sink.get_mut().shutdown().await;
    if !finish {
        stop.cancel();
    }
}
