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
///
/// Bounded: a script that logs in a loop must not take the process's
/// memory with it. Past [`TraceSink::MAX_ENTRIES`] entries or
/// [`TraceSink::MAX_BYTES`] of text, entries are counted, not kept, and
/// [`entries`](Self::entries) ends with a line saying how many were dropped.
#[derive(Debug, Clone, Default)]
pub struct TraceSink(Arc<Mutex<Recorded>>);

#[derive(Debug, Default)]
struct Recorded {
    entries: Vec<TraceEntry>,
    bytes: usize,
    dropped: usize,
}

impl TraceEntry {
    /// Roughly how much text the entry holds.
    fn size(&self) -> usize {
        match self {
            TraceEntry::Event { reason, data, .. } => {
                32 + reason.as_ref().map_or(0, String::len) + data.as_ref().map_or(0, String::len)
            }
            TraceEntry::Frame {
                endpoint, frame, ..
            } => 16 + endpoint.len() + frame.len(),
            TraceEntry::Console { level, text } => level.len() + text.len(),
            TraceEntry::Test {
                name,
                status,
                message,
            } => {
                status.len()
                    + name.as_ref().map_or(0, String::len)
                    + message.as_ref().map_or(0, String::len)
            }
        }
    }
}

impl TraceSink {
    pub const MAX_ENTRIES: usize = 20_000;
    pub const MAX_BYTES: usize = 4 << 20;

    pub fn push(&self, entry: TraceEntry) {
        let mut recorded = self.0.lock().unwrap();
        let size = entry.size();
        if recorded.entries.len() >= Self::MAX_ENTRIES || recorded.bytes + size > Self::MAX_BYTES {
            recorded.dropped += 1;
            return;
        }
        recorded.bytes += size;
        recorded.entries.push(entry);
    }

    /// Everything recorded so far (and a last line if some was dropped).
    pub fn entries(&self) -> Vec<TraceEntry> {
        let recorded = self.0.lock().unwrap();
        let mut entries = recorded.entries.clone();
        if recorded.dropped > 0 {
            entries.push(TraceEntry::Console {
                level: "warn".into(),
                text: format!(
                    "[hearth] {} more trace entries (console output, events, frames) were dropped: \
                     a trace keeps at most {} entries and {} MiB",
                    recorded.dropped,
                    Self::MAX_ENTRIES,
                    Self::MAX_BYTES >> 20
                ),
            });
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sink_keeps_a_bounded_prefix_and_says_how_much_it_dropped() {
        let sink = TraceSink::default();
        for i in 0..TraceSink::MAX_ENTRIES + 5 {
            sink.push(TraceEntry::Console {
                level: "log".into(),
                text: i.to_string(),
            });
        }
        let entries = sink.entries();
        assert_eq!(entries.len(), TraceSink::MAX_ENTRIES + 1);
        let TraceEntry::Console { text, .. } = entries.last().unwrap() else {
            panic!("a note at the end");
        };
        assert!(text.starts_with("[hearth] 5 more trace entries"), "{text}");

        let sink = TraceSink::default();
        let big = "x".repeat(1_000_000);
        for _ in 0..6 {
            sink.push(TraceEntry::Console {
                level: "log".into(),
                text: big.clone(),
            });
        }
        assert_eq!(sink.entries().len(), 4 + 1, "4 MiB kept, then a note");
    }
}
