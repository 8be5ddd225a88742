//! `hearth compare`: run a worker (driven by a scripted WebSocket client)
//! or a test file twice, with one compatibility flag off and then on, and
//! show how the two traces differ.
//!
//! ```text
//! script.rs   the client script: what the client sends and waits for
//! client.rs   the scripted client over hearth's frame codec, recording the wire
//! run.rs      one side: serve the worker, drive the client, collect the trace
//! diff.rs     LCS line diff as side-by-side rows
//! render.rs   trace entries as lines, sections, summary, side-by-side text
//! ```

pub mod client;
pub mod diff;
pub mod render;
pub mod run;
pub mod script;

use serde::Serialize;

use crate::runtime::trace::TraceEntry;
use diff::Row;

/// The summary lines the text report shows before the sections.
const SUMMARY_LINES: usize = 20;

/// One run of the target.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The explicit flags this run passed (on top of the date).
    pub flags: Vec<String>,
    /// Set when the run could not happen or ended in an error.
    pub error: Option<String>,
    pub trace: Vec<TraceEntry>,
}

/// Both runs and how they differ.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub target: String,
    /// `worker` or `test`.
    pub kind: &'static str,
    pub flag: String,
    pub compatibility_date: String,
    pub off: Side,
    pub on: Side,
    /// What changed, one line each (empty: the flag changes nothing here).
    pub summary: Vec<String>,
    pub sections: Vec<SectionDiff>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionDiff {
    pub section: &'static str,
    pub rows: Vec<Row>,
}

impl Comparison {
    pub fn new(
        target: String,
        kind: &'static str,
        flag: String,
        compatibility_date: String,
        off: Side,
        on: Side,
    ) -> Comparison {
        let sections = render::diff_sections(&off.trace, &on.trace);
        let mut summary = render::summary(&sections);
        if off.error != on.error {
            let show = |e: &Option<String>| e.clone().unwrap_or_else(|| "no error".into());
            summary.insert(
                0,
                format!("error: {} → {}", show(&off.error), show(&on.error)),
            );
        }
        Comparison {
            target,
            kind,
            flag,
            compatibility_date,
            off,
            on,
            summary,
            sections: sections
                .into_iter()
                .map(|(section, rows)| SectionDiff { section, rows })
                .collect(),
        }
    }

    pub fn identical(&self) -> bool {
        self.summary.is_empty()
    }

    /// The report a person reads: header, summary, side-by-side sections.
    pub fn to_text(&self, width: usize) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let flags = |s: &Side| {
            if s.flags.is_empty() {
                "(no explicit flags)".to_owned()
            } else {
                format!("--compatibility-flags {}", s.flags.join(","))
            }
        };
        let _ = writeln!(
            out,
            "hearth compare {} ({}) · flag {} · compatibility date {}",
            self.target, self.kind, self.flag, self.compatibility_date
        );
        let _ = writeln!(out, "  flag off: {}", flags(&self.off));
        let _ = writeln!(out, "  flag on:  {}", flags(&self.on));
        for (label, side) in [("off", &self.off), ("on", &self.on)] {
            if let Some(e) = &side.error {
                let _ = writeln!(out, "  error with the flag {label}: {e}");
            }
        }
        if self.identical() {
            let _ = writeln!(
                out,
                "\nNo differences: the flag changes nothing this run observed."
            );
        } else {
            let _ = writeln!(out, "\n{} difference(s):", self.summary.len());
            for line in self.summary.iter().take(SUMMARY_LINES) {
                let _ = writeln!(out, "  • {line}");
            }
            if self.summary.len() > SUMMARY_LINES {
                let more = self.summary.len() - SUMMARY_LINES;
                let _ = writeln!(
                    out,
                    "  … and {more} more (all of them below, and in --json)"
                );
            }
        }
        let sections: Vec<(&'static str, Vec<Row>)> = self
            .sections
            .iter()
            .map(|s| (s.section, s.rows.clone()))
            .collect();
        out.push_str(&render::side_by_side(&sections, width));
        out
    }
}
