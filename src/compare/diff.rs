//! A line diff (longest common subsequence) shaped for side-by-side
//! display: unchanged rows, rows that changed, rows on one side only.

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

/// Diff `off` against `on`: an alignment that maximises 2 points per
/// identical pair and 1 per pair of lines about the same thing (see
/// [`key`]), so `close event readyState 2` lines up with `close event
/// readyState 3` as a change rather than as two one-sided rows.
pub fn diff(off: &[String], on: &[String]) -> Vec<Row> {
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
    fn identical_and_empty_inputs() {
        assert!(diff(&lines("a b"), &lines("a b")).iter().all(Row::is_same));
        assert!(diff(&[], &[]).is_empty());
        assert_eq!(diff(&lines("a"), &[]), [Row::OnlyOff { line: "a".into() }]);
    }
}
