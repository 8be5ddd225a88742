//! A line diff shaped for side-by-side display: unchanged rows, rows that
//! changed, rows on one side only.
//!
//! The common head and tail are taken off first; what is left is aligned
//! exactly (quadratic, so only while it is small) or, for long traces, by
//! Myers' algorithm over the lines' keys (`similar`), which is linear in
//! practice.

/// One row of a side-by-side diff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Row {
    Same { line: String },
    Changed { off: String, on: String },
    OnlyOff { line: String },
    OnlyOn { line: String },
}

impl Row {
    pub fn is_same(&self) -> bool {
        matches!(self, Row::Same { .. })
    }
}

/// Above this many cells (lines × lines) the exact alignment would cost too
/// much time and memory.
const EXACT_LIMIT: usize = 1 << 20;

/// Diff `off` against `on`: lines about the same thing (see [`key`]) line
/// up, so `close event readyState 2` against `close event readyState 3` is
/// one changed row rather than two one-sided rows.
pub fn diff(off: &[String], on: &[String]) -> Vec<Row> {
    let head = off.iter().zip(on).take_while(|(a, b)| a == b).count();
    let (off_rest, on_rest) = (&off[head..], &on[head..]);
    let tail = off_rest
        .iter()
        .rev()
        .zip(on_rest.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (middle_off, middle_on) = (
        &off_rest[..off_rest.len() - tail],
        &on_rest[..on_rest.len() - tail],
    );
    let same = |lines: &[String]| -> Vec<Row> {
        lines
            .iter()
            .map(|l| Row::Same { line: l.clone() })
            .collect()
    };
    let mut rows = same(&off[..head]);
    if middle_off.len().saturating_mul(middle_on.len()) <= EXACT_LIMIT {
        rows.extend(exact(middle_off, middle_on));
    } else {
        rows.extend(by_key(middle_off, middle_on));
    }
    rows.extend(same(&off_rest[off_rest.len() - tail..]));
    rows
}

/// Myers over the keys: equal keys are same or changed rows.
fn by_key(off: &[String], on: &[String]) -> Vec<Row> {
    use similar::{Algorithm, DiffOp, capture_diff_slices_by_key};
    let mut rows = vec![];
    for op in capture_diff_slices_by_key(Algorithm::Myers, off, on, |l| key(l).to_owned()) {
        let (o, n) = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for (a, b) in off[old_index..old_index + len]
                    .iter()
                    .zip(&on[new_index..new_index + len])
                {
                    rows.push(if a == b {
                        Row::Same { line: a.clone() }
                    } else {
                        Row::Changed {
                            off: a.clone(),
                            on: b.clone(),
                        }
                    });
                }
                continue;
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0..0, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        rows.extend(off[o].iter().map(|l| Row::OnlyOff { line: l.clone() }));
        rows.extend(on[n].iter().map(|l| Row::OnlyOn { line: l.clone() }));
    }
    rows
}

/// The exact alignment: maximise 2 points per identical pair and 1 per
/// pair of lines with the same key.
fn exact(off: &[String], on: &[String]) -> Vec<Row> {
    let (n, m) = (off.len(), on.len());
    let weight = |i: usize, j: usize| -> Option<u32> {
        if off[i] == on[j] {
            Some(2)
        } else if key(&off[i]) == key(&on[j]) {
            Some(1)
        } else {
            None
        }
    };
    // best[i][j]: the best score aligning off[i..] with on[j..].
    let mut best = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let pair = weight(i, j).map_or(0, |w| best[i + 1][j + 1] + w);
            best[i][j] = pair.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut rows = vec![];
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        let paired = (i < n && j < m)
            .then(|| weight(i, j))
            .flatten()
            .filter(|w| best[i][j] == best[i + 1][j + 1] + w);
        if let Some(w) = paired {
            rows.push(if w == 2 {
                Row::Same {
                    line: off[i].clone(),
                }
            } else {
                Row::Changed {
                    off: off[i].clone(),
                    on: on[j].clone(),
                }
            });
            i += 1;
            j += 1;
        } else if i < n && (j == m || best[i][j] == best[i + 1][j]) {
            rows.push(Row::OnlyOff {
                line: off[i].clone(),
            });
            i += 1;
        } else {
            rows.push(Row::OnlyOn {
                line: on[j].clone(),
            });
            j += 1;
        }
    }
    rows
}

/// What a line is about: the text before its first `"  "` or `": "` (an
/// event's socket and type, a console method); a whole line otherwise.
pub fn key(line: &str) -> &str {
    let end = [line.find("  "), line.find(": ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(line.len());
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn same_changed_and_one_sided_rows() {
        let off = ["a", "ev  rs 2", "log: 2", "c"].map(String::from);
        let on = ["a", "frame", "ev  rs 3", "log: 3", "c", "e"].map(String::from);
        assert_eq!(
            diff(&off, &on),
            [
                Row::Same { line: "a".into() },
                Row::OnlyOn {
                    line: "frame".into()
                },
                Row::Changed {
                    off: "ev  rs 2".into(),
                    on: "ev  rs 3".into()
                },
                Row::Changed {
                    off: "log: 2".into(),
                    on: "log: 3".into()
                },
                Row::Same { line: "c".into() },
                Row::OnlyOn { line: "e".into() },
            ]
        );
        // Identical lines win over lines that only share a key.
        let off = ["log: a", "log: b"].map(String::from);
        assert_eq!(
            diff(&off, &off[1..]),
            [
                Row::OnlyOff {
                    line: "log: a".into()
                },
                Row::Same {
                    line: "log: b".into()
                }
            ]
        );
        // Lines about different things are not paired.
        assert_eq!(
            diff(&lines("x"), &lines("y")),
            [
                Row::OnlyOff { line: "x".into() },
                Row::OnlyOn { line: "y".into() }
            ]
        );
    }

    #[test]
    fn long_traces_take_the_linear_path_and_still_pair_changes() {
        let mut off: Vec<String> = (0..3000)
            .map(|i| format!("ws#1 message event  data {i}"))
            .collect();
        let mut on = off.clone();
        off.insert(1500, "ws#1 close event  readyState 2".into());
        on.insert(1500, "ws#1 close event  readyState 3".into());
        on.insert(10, "only on".into());
        off.push("log: x".into());
        let rows = diff(&off, &on);
        let changed: Vec<&Row> = rows.iter().filter(|r| !r.is_same()).collect();
        assert_eq!(
            changed,
            [
                &Row::OnlyOn {
                    line: "only on".into()
                },
                &Row::Changed {
                    off: "ws#1 close event  readyState 2".into(),
                    on: "ws#1 close event  readyState 3".into()
                },
                &Row::OnlyOff {
                    line: "log: x".into()
                },
            ]
        );
        assert_eq!(rows.len(), 3003);
    }

    #[test]
    fn identical_and_empty_inputs() {
        assert!(diff(&lines("a b"), &lines("a b")).iter().all(Row::is_same));
        assert!(diff(&[], &[]).is_empty());
        assert_eq!(diff(&lines("a"), &[]), [Row::OnlyOff { line: "a".into() }]);
    }
}
