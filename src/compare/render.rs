//! How a comparison is shown: each trace entry as one line, the lines split
//! into sections whose order is deterministic (the client's wire, what the
//! runtime saw and did, test results), a side-by-side diff per section and
//! a summary of what changed.

use std::fmt::Write;

use super::client::CLIENT;
use super::diff::{Row, diff, key};
use crate::runtime::trace::{Direction, TraceEntry};

/// Sections in display order. The client runs on a thread of its own, so
/// its frames are compared among themselves, never interleaved with the
/// runtime's (that order would vary from run to run).
pub const SECTIONS: [(&str, &str); 3] = [
    (
        "client",
        "the wire, as hearth compare's WebSocket client saw it",
    ),
    (
        "runtime",
        "events as the script saw them (readyState at dispatch), its sockets' frames, console",
    ),
    ("tests", "test results"),
];

fn section_of(entry: &TraceEntry) -> &'static str {
    match entry {
        TraceEntry::Frame { endpoint, .. } if endpoint == CLIENT => "client",
        TraceEntry::Test { .. } => "tests",
        _ => "runtime",
    }
}

/// One entry as one line.
pub fn line(entry: &TraceEntry) -> String {
    let arrow = |d: &Direction| if *d == Direction::Sent { "→" } else { "←" };
    match entry {
        TraceEntry::Frame {
            endpoint,
            direction,
            frame,
        } if endpoint == CLIENT => format!("{} {frame}", arrow(direction)),
        TraceEntry::Frame {
            endpoint,
            direction,
            frame,
        } => format!("{endpoint} {} {frame}", arrow(direction)),
        TraceEntry::Event {
            socket,
            kind,
            ready_state,
            code,
            reason,
            was_clean,
            data,
        } => {
            let mut out = format!("ws#{socket} {kind} event  readyState {ready_state}");
            if let Some(code) = code {
                let _ = write!(out, "  code {code}");
            }
            if let Some(reason) = reason {
                let _ = write!(out, "  reason {reason:?}");
            }
            if let Some(clean) = was_clean {
                let _ = write!(out, "  wasClean {clean}");
            }
            if let Some(data) = data {
                let _ = write!(out, "  data {data}");
            }
            out
        }
        TraceEntry::Console { level, text } => format!("console.{level}: {text}"),
        TraceEntry::Test {
            name,
            status,
            message,
        } => {
            // Fields apart by two spaces, the name first: a subtest whose
            // status changed lines up with itself.
            let name = name
                .as_deref()
                .map_or("harness".to_owned(), |n| format!("test {n:?}"));
            match message {
                Some(m) => format!("{name}  {status}  {}", m.replace("  ", " ")),
                None => format!("{name}  {status}"),
            }
        }
    }
}

/// The lines of one section of a trace.
pub fn section_lines(trace: &[TraceEntry], section: &str) -> Vec<String> {
    trace
        .iter()
        .filter(|e| section_of(e) == section)
        .map(line)
        .collect()
}

/// Each section's rows (sections empty on both sides are left out).
pub fn diff_sections(off: &[TraceEntry], on: &[TraceEntry]) -> Vec<(&'static str, Vec<Row>)> {
    SECTIONS
        .iter()
        .map(|(name, _)| {
            (
                *name,
                diff(&section_lines(off, name), &section_lines(on, name)),
            )
        })
        .filter(|(_, rows)| !rows.is_empty())
        .collect()
}

/// What changed, one line each: "ws#2 close event: readyState 2 → 3",
/// "only with the flag on: client ← Close 1000 \"bye\"". Lines about the
/// same thing on both sides count as one change even when they moved; lines
/// that only moved are counted at the end; repeats are folded ("×N").
pub fn summary(sections: &[(&'static str, Vec<Row>)]) -> Vec<String> {
    let mut out = vec![];
    let mut moved = 0;
    for (section, rows) in sections {
        let prefix = if *section == "client" { "client " } else { "" };
        let mut only_on: Vec<Option<&str>> = rows
            .iter()
            .map(|r| match r {
                Row::OnlyOn { line } => Some(line.as_str()),
                _ => None,
            })
            .collect();
        // For each line only off, its partner only on: the identical line
        // if there is one (it moved), else one about the same thing.
        let mut partner = vec![None; rows.len()];
        for (i, row) in rows.iter().enumerate() {
            let Row::OnlyOff { line } = row else { continue };
            let find =
                |same: &dyn Fn(&str) -> bool| only_on.iter().position(|on| on.is_some_and(same));
            let k = find(&|on| on == line).or_else(|| find(&|on| key(on) == key(line)));
            if let Some(k) = k {
                partner[i] = only_on[k].take();
            }
        }
        for (i, row) in rows.iter().enumerate() {
            let line = match (row, partner[i]) {
                (Row::Same { .. }, _) => continue,
                (Row::Changed { off, on }, _) => changed_fields(off, on),
                (Row::OnlyOff { line }, Some(on)) if on == line => {
                    moved += 1;
                    continue;
                }
                (Row::OnlyOff { line }, Some(on)) => changed_fields(line, on),
                (Row::OnlyOff { line }, None) => {
                    out.push(format!("only with the flag off: {prefix}{line}"));
                    continue;
                }
                (Row::OnlyOn { line }, _) if only_on[i].is_some() => {
                    out.push(format!("only with the flag on: {prefix}{line}"));
                    continue;
                }
                (Row::OnlyOn { .. }, _) => continue,
            };
            out.push(format!("{prefix}{line}"));
        }
    }
    let mut folded: Vec<(String, usize)> = vec![];
    for line in out {
        match folded.last_mut() {
            Some((last, n)) if *last == line => *n += 1,
            _ => folded.push((line, 1)),
        }
    }
    let mut lines: Vec<String> = folded
        .into_iter()
        .map(|(line, n)| {
            if n == 1 {
                line
            } else {
                format!("{line} (×{n})")
            }
        })
        .collect();
    if moved > 0 {
        lines.push(format!(
            "{moved} line(s) the same on both sides, only in another order"
        ));
    }
    lines
}

/// For two lines with the same shape ("ws#2 close event  readyState 2 …"),
/// just the words that differ; otherwise both lines.
fn changed_fields(off: &str, on: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (off.split("  ").collect(), on.split("  ").collect());
    if a.len() > 1 && b.len() > 1 && a[0] == b[0] {
        let changes: Vec<String> = a
            .iter()
            .zip(&b)
            .filter(|(x, y)| x != y)
            .map(|(x, y)| match (x.split_once(' '), y.split_once(' ')) {
                (Some((k1, v1)), Some((k2, v2))) if k1 == k2 => format!("{k1} {v1} → {v2}"),
                _ => format!("{x} → {y}"),
            })
            .chain(match a.len().cmp(&b.len()) {
                std::cmp::Ordering::Greater => Some(format!("(off: {})", a[b.len()..].join(" "))),
                std::cmp::Ordering::Less => Some(format!("(on: {})", b[a.len()..].join(" "))),
                std::cmp::Ordering::Equal => None,
            })
            .collect();
        return format!("{}: {}", a[0], changes.join(", "));
    }
    if let (Some((k1, v1)), Some((k2, v2))) = (off.split_once(": "), on.split_once(": "))
        && k1 == k2
    {
        return format!("{k1}: {v1} → {v2}");
    }
    format!("{off}  →  {on}")
}

/// The side-by-side table: `flag off │ flag on`, a gutter mark per row
/// (` ` same, `|` changed, `<` only off, `>` only on), like `diff -y`.
pub fn side_by_side(sections: &[(&'static str, Vec<Row>)], width: usize) -> String {
    let column = width.saturating_sub(7) / 2;
    let fit = |s: &str| -> String {
        let count = s.chars().count();
        if count <= column {
            format!("{s}{}", " ".repeat(column - count))
        } else {
            let cut: String = s.chars().take(column.saturating_sub(1)).collect();
            format!("{cut}…")
        }
    };
    let mut out = String::new();
    for (name, rows) in sections {
        let about = SECTIONS
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, a)| a);
        let _ = writeln!(out, "\n{name} — {about}");
        let _ = writeln!(out, "  {} │ flag on", fit("flag off"));
        for row in rows {
            let (mark, left, right) = match row {
                Row::Same { line } => (' ', line.as_str(), line.as_str()),
                Row::Changed { off, on } => ('|', off.as_str(), on.as_str()),
                Row::OnlyOff { line } => ('<', line.as_str(), ""),
                Row::OnlyOn { line } => ('>', "", line.as_str()),
            };
            let _ = writeln!(out, "{mark} {} │ {right}", fit(left));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[(&str, &str)]) -> Vec<Row> {
        rows.iter()
            .map(|(op, line)| match *op {
                "=" => Row::Same {
                    line: (*line).into(),
                },
                "<" => Row::OnlyOff {
                    line: (*line).into(),
                },
                _ => Row::OnlyOn {
                    line: (*line).into(),
                },
            })
            .collect()
    }

    #[test]
    fn the_summary_pairs_moved_lines_counts_pure_moves_and_folds_repeats() {
        let runtime = rows(&[
            ("=", "ws#1 ← Close 1000 \"bye\""),
            ("<", "ws#1 close event  readyState 2  code 1000"),
            ("<", "ws#1 → FIN"),
            (">", "ws#1 → FIN"),
            (">", "ws#1 close event  readyState 3  code 1000"),
            (">", "console.log: tick"),
            (">", "console.log: tick"),
        ]);
        let client = rows(&[("<", "← (no Close within 1000 ms)")]);
        let summary = summary(&[("client", client), ("runtime", runtime)]);
        assert_eq!(
            summary,
            [
                "only with the flag off: client ← (no Close within 1000 ms)",
                "ws#1 close event: readyState 2 → 3",
                "only with the flag on: console.log: tick (×2)",
                "1 line(s) the same on both sides, only in another order",
            ]
        );
    }
}
