//! Runs a [`ClientScript`] against a WebSocket URL with hearth's own frame
//! codec (not the WebSocket core: this client must be able to leave a Close
//! unanswered or drop TCP), recording every frame it sends and receives.

use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_util::codec::{FramedRead, FramedWrite};
use tungstenite::protocol::frame::coding::{Control, Data, OpCode};

use super::script::{ClientScript, Step};
use crate::runtime::trace::{Direction, TraceEntry, TraceSink};
use crate::ws::close::parse_close_payload;
use crate::ws::net::{FrameCodec, Role, client_handshake, to_frame};
use crate::ws::tap::{describe_close, describe_message};
use crate::ws::{CloseFrame, Message, Outgoing};

/// The endpoint name of this client's frames in a trace.
pub const CLIENT: &str = "client";

/// Least time the opening handshake may take; it gets 5 × `--wait` if that
/// is more (the worker's fetch() may be slow).
pub const HANDSHAKE_WAIT: Duration = Duration::from_secs(2);

/// What the reader saw, for the steps that wait.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Message,
    Close,
    End,
}

fn record(sink: &TraceSink, direction: Direction, frame: String) {
    sink.push(TraceEntry::Frame {
        endpoint: CLIENT.into(),
        direction,
        frame,
    });
}

/// Connect to `url` + the script's path, run the steps, end the connection.
/// Each wait gives up after `wait`, recording what did not arrive.
pub async fn drive(
    base_url: &str,
    script: &ClientScript,
    wait: Duration,
    sink: &TraceSink,
) -> Result<(), String> {
    let url = format!("{base_url}{}", script.path);
    // The upgrade waits for the worker's fetch(): bounded, or a worker
    // that never answers would hold the comparison forever.
    let limit = (wait * 5).max(HANDSHAKE_WAIT);
    let (io, protocol) = tokio::time::timeout(limit, client_handshake(&url, &script.protocols))
        .await
        .map_err(|_| format!("no answer to the WebSocket upgrade within {limit:?}"))?
        // Without the port, which differs between the two runs.
        .map_err(|e| e.to_string().replace(&url, &script.path))?;
    let chosen = if protocol.is_empty() {
        String::new()
    } else {
        format!(" (protocol {protocol:?})")
    };
    record(
        sink,
        Direction::Received,
        format!("101 Switching Protocols{chosen}"),
    );
    let (read_half, write_half) = tokio::io::split(io);
    let mut writer = FramedWrite::new(write_half, FrameCodec::new(Role::Client, usize::MAX));
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let reader = tokio::spawn(read_frames(
        FramedRead::new(read_half, FrameCodec::new(Role::Client, 128 << 20)),
        sink.clone(),
        seen_tx,
    ));
    let mut close_received = false;
    let mut ended = false;
    let mut wait_for = async |want: Seen, close_received: &mut bool, ended: &mut bool| {
        let what = if want == Seen::Message {
            "message"
        } else {
            "Close"
        };
        // What an earlier wait already saw counts.
        if *ended || (want == Seen::Close && *close_received) {
            return;
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, seen.recv()).await {
                Ok(Some(Seen::Close)) => *close_received = true,
                Ok(Some(Seen::End)) | Ok(None) => *ended = true,
                Ok(Some(Seen::Message)) => {}
                Err(_) => {
                    let note = format!("(no {what} within {} ms)", wait.as_millis());
                    record(sink, Direction::Received, note);
                    return;
                }
            }
            if *ended || (want == Seen::Close && *close_received) {
                return;
            }
            if want == Seen::Message {
                return;
            }
        }
    };
    for step in &script.steps {
        let outgoing = match step {
            Step::SendText(text) => Some(Outgoing::Message(Message::Text(text.clone()))),
            Step::SendBinary(n) => Some(Outgoing::Message(Message::Binary(Bytes::from(
                (0..*n).map(|i| i as u8).collect::<Vec<u8>>(),
            )))),
            Step::Close(frame) => Some(Outgoing::Close(frame.as_ref().map(|(code, reason)| {
                CloseFrame {
                    code: *code,
                    reason: reason.clone(),
                }
            }))),
            Step::WaitMessage => {
                wait_for(Seen::Message, &mut close_received, &mut ended).await;
                None
            }
            Step::WaitClose => {
                wait_for(Seen::Close, &mut close_received, &mut ended).await;
                None
            }
            Step::Pause(d) => {
                tokio::time::sleep(*d).await;
                None
            }
            Step::Drop => {
                record(sink, Direction::Sent, "FIN (dropped, no Close)".into());
                reader.abort();
                return Ok(());
            }
        };
        if let Some(outgoing) = outgoing {
            if ended {
                break;
            }
            let shown = match &outgoing {
                Outgoing::Message(m) => describe_message(m),
                Outgoing::Close(f) => describe_close(f.as_ref()),
            };
            record(sink, Direction::Sent, shown);
            if let Err(e) = writer.send(to_frame(&outgoing)).await {
                record(sink, Direction::Sent, format!("(write failed: {e:?})"));
                break;
            }
        }
    }
    // RFC 6455 §7.1.1: after the Close exchange the server ends TCP first.
    if close_received && !ended {
        ended = wait_for_end(&mut seen, wait).await;
    }
    record(sink, Direction::Sent, "FIN".into());
    let _ = writer.close().await;
    // The server's end of TCP is part of the trace: wait for it (bounded).
    if !ended {
        wait_for_end(&mut seen, wait).await;
    }
    reader.abort();
    Ok(())
}

/// Until the reader saw the connection end (true) or `wait` passed.
async fn wait_for_end(seen: &mut mpsc::UnboundedReceiver<Seen>, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, seen.recv()).await {
            Ok(Some(Seen::End)) | Ok(None) => return true,
            Ok(Some(_)) => {}
            Err(_) => return false,
        }
    }
}

async fn read_frames<R>(
    mut frames: FramedRead<R, FrameCodec>,
    sink: TraceSink,
    seen: mpsc::UnboundedSender<Seen>,
) where
    R: tokio::io::AsyncRead + Unpin,
{
    while let Some(frame) = frames.next().await {
        let Ok(frame) = frame else {
            record(&sink, Direction::Received, "(undecodable frame)".into());
            break;
        };
        let (shown, kind) = match frame.opcode {
            OpCode::Data(Data::Text) => match String::from_utf8(frame.payload.to_vec()) {
                Ok(text) => (describe_message(&Message::Text(text)), Some(Seen::Message)),
                Err(_) => ("Text <invalid UTF-8>".into(), Some(Seen::Message)),
            },
            OpCode::Data(Data::Binary) => (
                describe_message(&Message::Binary(frame.payload.clone())),
                Some(Seen::Message),
            ),
            OpCode::Data(_) => (
                format!("Continuation <{} bytes>", frame.payload.len()),
                None,
            ),
            OpCode::Control(Control::Close) => match parse_close_payload(&frame.payload) {
                Ok(close) => (describe_close(close.as_ref()), Some(Seen::Close)),
                Err(bad) => (
                    format!("Close <invalid: {}>", bad.reason),
                    Some(Seen::Close),
                ),
            },
            OpCode::Control(Control::Ping) => ("Ping".into(), None),
            OpCode::Control(Control::Pong) => ("Pong".into(), None),
            OpCode::Control(_) => ("<reserved control frame>".into(), None),
        };
        record(&sink, Direction::Received, shown);
        if let Some(kind) = kind {
            let _ = seen.send(kind);
        }
    }
    record(&sink, Direction::Received, "FIN".into());
    let _ = seen.send(Seen::End);
}
