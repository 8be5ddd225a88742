//! A record of what a script saw and did, in order: WebSocket events with
//! the `readyState` at dispatch, frames its sockets sent and received,
//! console output. `hearth compare` diffs two of them.

use std::sync::{Arc, Mutex};

use serde::Serialize;

/// Which way a frame went, seen from the socket that recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Sent,
    Received,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceEntry {
    /// An event dispatched to a script's WebSocket (`socket` is its id in
    /// the runtime, in creation order from 1).
    Event {
        socket: u32,
        #[serde(rename = "type")]
        kind: String,
        ready_state: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<u16>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        was_clean: Option<bool>,
        /// A message event's data (text, or `<N bytes>`).
        #[serde(skip_serializing_if = "Option::is_none")]
        data: Option<String>,
    },
    /// A frame as the WebSocket core or a client put it on (or took it
    /// off) the wire: `Text "hi"`, `Binary <3 bytes>`, `Close 1000 "bye"`,
    /// `Close (empty)`, `FIN` (the connection ended).
    Frame {
        /// `ws#N` for a script's socket, `client` for hearth compare's client.
        endpoint: String,
        direction: Direction,
        frame: String,
    },
    /// One line of console output (`log`, `info`, `warn`, `error`, `debug`).
    Console { level: String, text: String },
    /// A test file's subtest result, or (`name` absent) its harness status.
    Test {
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        status: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
}

/// Where a runtime records its trace; cheap to clone, shared across threads.
#[derive(Debug, Clone, Default)]
pub struct TraceSink(Arc<Mutex<Vec<TraceEntry>>>);

impl TraceSink {
    pub fn push(&self, entry: TraceEntry) {
        self.0.lock().unwrap().push(entry);
    }

    /// Everything recorded so far.
    pub fn entries(&self) -> Vec<TraceEntry> {
        self.0.lock().unwrap().clone()
    }
}
