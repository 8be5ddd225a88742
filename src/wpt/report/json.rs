//! One JSON document for programs: every run (file × variant) with its
//! harness status, subtests, expectation and verdict, console output and
//! duration, then the summary. Statuses are testharness.js's words (a
//! skipped run's is `SKIP`, with the reason as its message); verdicts are
//! `pass`, `known_failure`, `fail`, `unexpected_pass`, `skip`.

use std::time::Duration;

use serde::Serialize;

use super::{harness_status, subtest_status};
use crate::wpt::expectations::Expected;
use crate::wpt::runner::Outcome;
use crate::wpt::verdict::{Judged, SubtestExpected, Summary, Verdict};

#[derive(Serialize)]
struct Document<'a> {
    results: Vec<RunJson<'a>>,
    summary: SummaryJson<'a>,
}

#[derive(Serialize)]
struct RunJson<'a> {
    path: &'a str,
    variant: &'a str,
    name: String,
    title: Option<&'a str>,
    status: &'static str,
    message: Option<&'a str>,
    stack: Option<&'a str>,
    /// As in the expectations file: true, false or a list of subtest names.
    expected: serde_json::Value,
    verdict: Verdict,
    /// How the harness status itself was judged, when it is not OK.
    harness_verdict: Option<Verdict>,
    duration_ms: u128,
    subtests: Vec<SubtestJson<'a>>,
    console: Vec<ConsoleJson<'a>>,
}

#[derive(Serialize)]
struct SubtestJson<'a> {
    name: &'a str,
    status: &'static str,
    message: Option<&'a str>,
    stack: Option<&'a str>,
    expected: SubtestExpected,
    verdict: Verdict,
}

#[derive(Serialize)]
struct ConsoleJson<'a> {
    level: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    #[serde(flatten)]
    counts: &'a Summary,
    duration_ms: u128,
    /// Every run matched its expectations (exit status 0).
    ok: bool,
}

pub fn render(judged: &[Judged], summary: &Summary, time: Duration) -> String {
    let document = Document {
        results: judged.iter().map(run).collect(),
        summary: SummaryJson {
            counts: summary,
            duration_ms: time.as_millis(),
            ok: summary.ok(),
        },
    };
    let mut text = serde_json::to_string_pretty(&document).expect("plain data always serializes");
    text.push('\n');
    text
}

fn run(j: &Judged) -> RunJson<'_> {
    let result = &j.result;
    let (status, message, stack, console) = match &result.outcome {
        Outcome::Skipped(reason) => ("SKIP", Some(reason.as_str()), None, &[][..]),
        Outcome::Ran { report, console } => (
            harness_status(report.status),
            report.message.as_deref(),
            report.stack.as_deref(),
            console.as_slice(),
        ),
    };
    RunJson {
        path: &result.file.display,
        variant: &result.variant,
        name: result.name(),
        title: result.title.as_deref(),
        status,
        message,
        stack,
        expected: match &j.expected {
            Expected::Pass => true.into(),
            Expected::FileFails => false.into(),
            Expected::Subtests(names) => names.iter().cloned().collect::<Vec<_>>().into(),
        },
        verdict: j.verdict,
        harness_verdict: j.harness,
        duration_ms: result.duration.as_millis(),
        subtests: j
            .subtests
            .iter()
            .map(|s| SubtestJson {
                name: &s.subtest.name,
                status: subtest_status(s.subtest.status),
                message: s.subtest.message.as_deref(),
                stack: s.subtest.stack.as_deref(),
                expected: s.expected,
                verdict: s.verdict,
            })
            .collect(),
        console: console
            .iter()
            .map(|l| ConsoleJson {
                level: &l.level,
                text: &l.text,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wpt::report::fixture;
    use serde_json::json;

    #[test]
    fn every_run_and_the_summary() {
        let judged = fixture::judged();
        let text = render(&judged, &Summary::of(&judged), Duration::from_millis(1500));
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let results = doc["results"].as_array().unwrap();
        assert_eq!(results.len(), 6);
        assert_eq!(
            results[1],
            json!({
                "path": "ws/b.any.js",
                "variant": "",
                "name": "ws/b.any.js",
                "title": null,
                "status": "OK",
                "message": null,
                "stack": null,
                "expected": ["fixed", "known # hash"],
                "verdict": "fail",
                "harness_verdict": null,
                "duration_ms": 500,
                "subtests": [
                    {"name": "sends <text> & \"quotes\"", "status": "FAIL",
                     "message": "assert_equals: expected 1 but got 2\nsecond line", "stack": "    at Test.<anonymous> (ws/b.any.js:3:14)\n    at ws/b.any.js:3:1",
                     "expected": "PASS", "verdict": "fail"},
                    {"name": "waits", "status": "TIMEOUT", "message": "Test timed out",
                     "stack": null, "expected": "PASS", "verdict": "fail"},
                    {"name": "known # hash", "status": "FAIL", "message": "not yet",
                     "stack": "    at Test.<anonymous> (ws/b.any.js:3:14)\n    at ws/b.any.js:3:1", "expected": "FAIL", "verdict": "known_failure"},
                    {"name": "fixed", "status": "PASS", "message": null, "stack": null,
                     "expected": "FAIL", "verdict": "unexpected_pass"},
                    {"name": "fine", "status": "PASS", "message": null, "stack": null,
                     "expected": "PASS", "verdict": "pass"},
                ],
                "console": [
                    {"level": "log", "text": "hello\u{1b}[31m"},
                    {"level": "error", "text": "bad <thing>"},
                ],
            })
        );
        assert_eq!(results[2]["variant"], "?default");
        assert_eq!(results[2]["status"], "ERROR");
        assert_eq!(results[2]["harness_verdict"], "fail");
        assert_eq!(results[3]["expected"], false);
        assert_eq!(results[3]["verdict"], "known_failure");
        assert_eq!(results[4]["status"], "SKIP");
        assert_eq!(results[4]["message"], "variant ?wss needs TLS");
        assert_eq!(results[4]["verdict"], "skip");
        assert_eq!(results[5]["verdict"], "unexpected_pass");
        assert_eq!(
            doc["summary"],
            json!({
                "files": 6, "files_passed": 1, "files_failed": 2, "files_known_failures": 1,
                "files_unexpected_passes": 1, "files_skipped": 1, "files_errors": 1,
                "files_timeouts": 1, "subtests": 9, "subtests_passed": 4, "subtests_failed": 2,
                "subtests_known_failures": 2, "subtests_unexpected_passes": 1,
                "subtests_timeouts": 2, "duration_ms": 1500, "ok": false,
            })
        );
    }
}
