//! TAP version 13: one test point per subtest, named `file > subtest`.
//! Known failures are `not ok ... # TODO known failure` (TAP consumers do
//! not count TODO points as failures); an unexpected pass is a plain
//! `not ok`, since it, too, makes the run fail. A file gets a point of its
//! own when it was skipped (`# SKIP reason`), when its harness is not OK,
//! when it has no subtests, or when it was expected to fail and did not.
//! Diagnostics are YAML blocks whose strings are JSON-quoted (valid YAML);
//! a red file's console output follows its points as `#` comments.

use std::fmt::Write;

use super::{first_frame, harness_status, printable, subtest_status};
use crate::wpt::runner::Outcome;
use crate::wpt::verdict::{Judged, SubtestExpected, Verdict};

struct Point {
    ok: bool,
    description: String,
    directive: Option<String>,
    diagnostics: Vec<(&'static str, String)>,
}

pub fn render(judged: &[Judged]) -> String {
    let mut points = Vec::new();
    // Comments printed after the point with this index (0-based count).
    let mut comments: Vec<(usize, String)> = Vec::new();
    for j in judged {
        file_points(j, &mut points);
        if let Outcome::Ran { console, .. } = &j.result.outcome
            && j.verdict.is_unexpected()
        {
            for line in console {
                for text in printable(&line.text).lines() {
                    comments.push((points.len(), format!("# [{}] {text}", line.level)));
                }
            }
        }
    }
    let mut out = format!("TAP version 13\n1..{}\n", points.len());
    let mut comments = comments.into_iter().peekable();
    for (index, point) in points.iter().enumerate() {
        let _ = write!(
            out,
            "{} {} - {}",
            if point.ok { "ok" } else { "not ok" },
            index + 1,
            escape(&point.description)
        );
        if let Some(directive) = &point.directive {
            let _ = write!(out, " # {}", escape(directive));
        }
        out.push('\n');
        if !point.diagnostics.is_empty() {
            out.push_str("  ---\n");
            for (key, value) in &point.diagnostics {
                let _ = writeln!(out, "  {key}: {value}");
            }
            out.push_str("  ...\n");
        }
        while let Some((_, comment)) = comments.next_if(|(after, _)| *after == index + 1) {
            let _ = writeln!(out, "{comment}");
        }
    }
    out
}

fn file_points(j: &Judged, points: &mut Vec<Point>) {
    let name = j.result.name();
    let report = match &j.result.outcome {
        Outcome::Skipped(reason) => {
            points.push(Point {
                ok: true,
                description: name,
                directive: Some(format!("SKIP {reason}")),
                diagnostics: vec![],
            });
            return;
        }
        Outcome::Ran { report, .. } => report,
    };
    let everything_passed = j.subtests.iter().all(|s| s.verdict == Verdict::Pass);
    if let Some(verdict) = j.harness {
        let mut diagnostics = vec![("status", quote(harness_status(report.status)))];
        if let Some(message) = &report.message {
            diagnostics.push(("message", quote(message)));
        }
        points.push(Point {
            ok: false,
            description: name.clone(),
            directive: (verdict == Verdict::KnownFailure).then(|| "TODO known failure".into()),
            diagnostics,
        });
    } else if j.verdict == Verdict::UnexpectedPass && everything_passed {
        points.push(Point {
            ok: false,
            description: name.clone(),
            directive: None,
            diagnostics: vec![
                ("status", quote("OK")),
                ("expected", quote("FAIL")),
                (
                    "message",
                    quote("expected to fail (false in the expectations), but everything passed"),
                ),
            ],
        });
    } else if report.tests.is_empty() {
        points.push(Point {
            ok: true,
            description: name.clone(),
            directive: None,
            diagnostics: vec![],
        });
    }
    for s in &j.subtests {
        let status = subtest_status(s.subtest.status);
        let mut diagnostics = vec![];
        if s.verdict != Verdict::Pass {
            diagnostics.push(("status", quote(status)));
            let expected = match s.expected {
                SubtestExpected::Pass => "PASS",
                SubtestExpected::Fail => "FAIL",
                SubtestExpected::Any => "ANY",
            };
            diagnostics.push(("expected", quote(expected)));
            if let Some(message) = &s.subtest.message {
                diagnostics.push(("message", quote(message)));
            }
            if let Some(frame) = first_frame(s.subtest.stack.as_deref()) {
                diagnostics.push(("at", quote(frame.trim_start_matches("at "))));
            }
            if s.verdict == Verdict::UnexpectedPass {
                diagnostics.push((
                    "message",
                    quote("unexpected pass: listed as failing in the expectations"),
                ));
            }
        }
        points.push(Point {
            ok: s.verdict == Verdict::Pass,
            description: format!("{name} > {}", s.subtest.name),
            directive: (s.verdict == Verdict::KnownFailure).then(|| "TODO known failure".into()),
            diagnostics,
        });
    }
}

/// A description or directive on one line, `#` escaped (TAP 13: `\#`).
fn escape(text: &str) -> String {
    printable(text)
        .replace('\\', "\\\\")
        .replace('#', "\\#")
        .replace(['\n', '\r'], " ")
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wpt::report::fixture;

    #[test]
    fn renders_every_verdict() {
        let text = render(&fixture::judged());
        let expected = r#"TAP version 13
1..13
ok 1 - ws/a.any.js > opens
ok 2 - ws/a.any.js > closes
not ok 3 - ws/b.any.js > sends <text> & "quotes"
  ---
  status: "FAIL"
  expected: "PASS"
  message: "assert_equals: expected 1 but got 2\nsecond line"
  at: "Test.<anonymous> (ws/b.any.js:3:14)"
  ...
not ok 4 - ws/b.any.js > waits
  ---
  status: "TIMEOUT"
  expected: "PASS"
  message: "Test timed out"
  ...
not ok 5 - ws/b.any.js > known \# hash # TODO known failure
  ---
  status: "FAIL"
  expected: "FAIL"
  message: "not yet"
  at: "Test.<anonymous> (ws/b.any.js:3:14)"
  ...
not ok 6 - ws/b.any.js > fixed
  ---
  status: "PASS"
  expected: "FAIL"
  message: "unexpected pass: listed as failing in the expectations"
  ...
ok 7 - ws/b.any.js > fine
# [log] hello\u{1b}[31m
# [error] bad <thing>
not ok 8 - ws/c.any.js?default
  ---
  status: "ERROR"
  message: "script=/x.js: not found"
  ...
not ok 9 - ws/d.any.js # TODO known failure
  ---
  status: "TIMEOUT"
  message: "file timed out"
  ...
not ok 10 - ws/d.any.js > slow # TODO known failure
  ---
  status: "TIMEOUT"
  expected: "ANY"
  ...
ok 11 - ws/d.any.js?wss # SKIP variant ?wss needs TLS
not ok 12 - ws/e.any.js
  ---
  status: "OK"
  expected: "FAIL"
  message: "expected to fail (false in the expectations), but everything passed"
  ...
ok 13 - ws/e.any.js > works now
"#;
        assert_eq!(text, expected);
    }
}
