//! The default report, for people: one status line per file; under a red
//! file its red subtests with their messages and its console output; then
//! a summary. Known failures show only as counts: they are not news.

use std::fmt::Write;
use std::time::Duration;

use super::{first_frame, harness_status, printable, subtest_status};
use crate::runtime::harness::SubtestStatus;
use crate::wpt::runner::Outcome;
use crate::wpt::verdict::{Judged, Summary, Verdict};

const INDENT: &str = "        ";

pub fn render(judged: &[Judged], summary: &Summary, time: Duration) -> String {
    let mut out = String::new();
    for j in judged {
        file(&mut out, j);
    }
    if !judged.is_empty() {
        out.push('\n');
    }
    summary_lines(&mut out, summary, time);
    out
}

fn file(out: &mut String, j: &Judged) {
    let name = j.result.name();
    let report = match &j.result.outcome {
        Outcome::Skipped(reason) => {
            let _ = writeln!(out, "{:<8}{name}: {reason}", "SKIP");
            return;
        }
        Outcome::Ran { report, .. } => report,
    };
    // A red harness shows as its own status: ERROR says more than FAIL.
    let label = match (j.verdict, j.harness) {
        (Verdict::Fail, Some(Verdict::Fail)) => harness_status(report.status),
        (verdict, _) => verdict_label(verdict),
    };
    let total = report.tests.len();
    let passed = report
        .tests
        .iter()
        .filter(|t| t.status == SubtestStatus::Pass)
        .count();
    let mut details = vec![if passed == total {
        format!("{total} subtest{}", plural(total))
    } else {
        format!("{passed}/{total} subtests passed")
    }];
    let known = j
        .subtests
        .iter()
        .filter(|s| s.verdict == Verdict::KnownFailure)
        .count();
    if known > 0 {
        details.push(format!("{known} known failure{}", plural(known)));
    }
    details.push(format!("{:.2}s", j.result.duration.as_secs_f64()));
    let _ = writeln!(out, "{label:<8}{name} ({})", details.join(", "));
    if let Some(verdict) = j.harness {
        let expected = if verdict == Verdict::KnownFailure {
            " (expected)"
        } else {
            ""
        };
        let status = harness_status(report.status);
        match report.message.as_deref() {
            Some(message) => {
                let message = indent_rest(message);
                let _ = writeln!(out, "{INDENT}harness {status}{expected}: {message}");
            }
            None => {
                let _ = writeln!(out, "{INDENT}harness {status}{expected}");
            }
        }
        if let Some(frame) = first_frame(report.stack.as_deref()) {
            let _ = writeln!(out, "{INDENT}    {}", printable(frame));
        }
    }
    if j.verdict == Verdict::UnexpectedPass && j.subtests.iter().all(|s| s.verdict == Verdict::Pass)
    {
        let _ = writeln!(
            out,
            "{INDENT}expected to fail (false in the expectations), but everything passed"
        );
    }
    if !j.verdict.is_unexpected() {
        return;
    }
    for s in j.subtests.iter().filter(|s| s.verdict.is_unexpected()) {
        let status = subtest_status(s.subtest.status);
        if s.verdict == Verdict::UnexpectedPass {
            let _ = writeln!(
                out,
                "{INDENT}! {status} {}: unexpected pass (listed as failing in the expectations)",
                indent_rest(&s.subtest.name)
            );
        } else {
            let _ = writeln!(out, "{INDENT}✗ {status} {}", indent_rest(&s.subtest.name));
            if let Some(message) = &s.subtest.message {
                let _ = writeln!(out, "{INDENT}    {}", indent_rest(message));
            }
            if let Some(frame) = first_frame(s.subtest.stack.as_deref()) {
                let _ = writeln!(out, "{INDENT}    {}", printable(frame));
            }
        }
    }
    if let Outcome::Ran { console, .. } = &j.result.outcome
        && !console.is_empty()
    {
        let _ = writeln!(out, "{INDENT}console:");
        for line in console {
            let _ = writeln!(
                out,
                "{INDENT}    [{}] {}",
                line.level,
                indent_rest(&line.text)
            );
        }
    }
}

fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "PASS",
        Verdict::Fail => "FAIL",
        Verdict::KnownFailure => "KNOWN",
        Verdict::UnexpectedPass => "XPASS",
        Verdict::Skip => "SKIP",
    }
}

/// Later lines of a multi-line message indented under the first.
fn indent_rest(text: &str) -> String {
    printable(text).replace('\n', &format!("\n{INDENT}    "))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "3 passed, 1 failed" without the zero counts; `first` always shows the
/// first one (so a line never reads "()").
fn counts(items: &[(usize, &str, &str)], first: bool) -> String {
    let mut parts = Vec::new();
    for (i, (n, one, many)) in items.iter().enumerate() {
        if *n > 0 || (first && i == 0) {
            parts.push(format!("{n} {}", if *n == 1 { one } else { many }));
        }
    }
    parts.join(", ")
}

fn summary_lines(out: &mut String, s: &Summary, time: Duration) {
    let mut files = counts(
        &[
            (s.files_passed, "passed", "passed"),
            (s.files_failed, "failed", "failed"),
            (s.files_known_failures, "known failure", "known failures"),
            (
                s.files_unexpected_passes,
                "unexpected pass",
                "unexpected passes",
            ),
            (s.files_skipped, "skipped", "skipped"),
        ],
        true,
    );
    let harness = counts(
        &[
            (s.files_errors, "harness error", "harness errors"),
            (s.files_timeouts, "timeout", "timeouts"),
        ],
        false,
    );
    if s.files_errors + s.files_timeouts > 0 {
        files = format!("{files}; {harness}");
    }
    let mut subtests = counts(
        &[
            (s.subtests_passed, "passed", "passed"),
            (s.subtests_failed, "failed", "failed"),
            (s.subtests_known_failures, "known failure", "known failures"),
            (
                s.subtests_unexpected_passes,
                "unexpected pass",
                "unexpected passes",
            ),
        ],
        true,
    );
    if s.subtests_timeouts > 0 {
        let n = s.subtests_timeouts;
        subtests = format!("{subtests}; {n} timed out");
    }
    let _ = writeln!(out, "Files:    {} ({files})", s.files);
    let _ = writeln!(out, "Subtests: {} ({subtests})", s.subtests);
    let _ = writeln!(out, "Time:     {:.2}s", time.as_secs_f64());
    let _ = writeln!(
        out,
        "{}",
        if s.ok() {
            "Result:   ok (every result as expected)"
        } else {
            "Result:   FAILED (results that do not match the expectations are marked above)"
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wpt::report::fixture;

    #[test]
    fn renders_every_verdict() {
        let judged = fixture::judged();
        let text = render(&judged, &Summary::of(&judged), Duration::from_millis(1234));
        let expected = "\
PASS    ws/a.any.js (2 subtests, 0.12s)
FAIL    ws/b.any.js (2/5 subtests passed, 1 known failure, 0.50s)
        ✗ FAIL sends <text> & \"quotes\"
            assert_equals: expected 1 but got 2
            second line
            at Test.<anonymous> (ws/b.any.js:3:14)
        ✗ TIMEOUT waits
            Test timed out
        ! PASS fixed: unexpected pass (listed as failing in the expectations)
        console:
            [log] hello\\u{1b}[31m
            [error] bad <thing>
ERROR   ws/c.any.js?default (0 subtests, 0.00s)
        harness ERROR: script=/x.js: not found
KNOWN   ws/d.any.js (0/1 subtests passed, 1 known failure, 10.00s)
        harness TIMEOUT (expected): file timed out
SKIP    ws/d.any.js?wss: variant ?wss needs TLS
XPASS   ws/e.any.js (1 subtest, 0.01s)
        expected to fail (false in the expectations), but everything passed

Files:    6 (1 passed, 2 failed, 1 known failure, 1 unexpected pass, 1 skipped; 1 harness error, 1 timeout)
Subtests: 9 (4 passed, 2 failed, 2 known failures, 1 unexpected pass; 2 timed out)
Time:     1.23s
Result:   FAILED (results that do not match the expectations are marked above)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn zero_counts_are_left_out() {
        let summary = Summary {
            files: 1,
            files_failed: 1,
            files_timeouts: 1,
            ..Summary::default()
        };
        let text = render(&[], &summary, Duration::ZERO);
        assert!(
            text.starts_with("Files:    1 (0 passed, 1 failed; 1 timeout)\n"),
            "{text}"
        );
    }

    #[test]
    fn an_empty_green_run() {
        let text = render(&[], &Summary::default(), Duration::ZERO);
        assert_eq!(
            text,
            "Files:    0 (0 passed)\nSubtests: 0 (0 passed)\nTime:     0.00s\n\
             Result:   ok (every result as expected)\n"
        );
    }
}
