//! JUnit XML, the format CI test viewers read: `<testsuites>`, one
//! `<testsuite>` per file (× variant) with tests/failures/errors/skipped/time,
//! one `<testcase classname="websockets.foo.any.js" name="subtest">` per
//! subtest, and the console in the suite's `<system-out>`.
//!
//! Mapping: an unexpected failure is `<failure type="FAIL|TIMEOUT|...">`, an
//! unexpected pass `<failure type="UNEXPECTED_PASS">`, a known failure
//! `<skipped message="known failure: ...">` (viewers show it, and do not
//! fail the build on it), a harness that is not OK a testcase named
//! `[file]` with `<error type="ERROR|TIMEOUT">` (or `<skipped>` when
//! expected). A skipped run is a suite whose one `[file]` testcase is skipped.

use std::fmt::Write;
use std::time::Duration;

use super::{details, harness_status, subtest_status};
use crate::wpt::runner::Outcome;
use crate::wpt::verdict::{Judged, Verdict};

/// The testcase standing for the file itself.
const FILE_CASE: &str = "[file]";

enum Result {
    Pass,
    Failure {
        kind: String,
        message: String,
        body: Option<String>,
    },
    Error {
        kind: String,
        message: String,
        body: Option<String>,
    },
    Skipped(String),
}

struct Case {
    name: String,
    result: Result,
}

pub fn render(judged: &[Judged], time: Duration) -> String {
    let suites: Vec<(String, Vec<Case>, &Judged)> = judged
        .iter()
        .map(|j| (j.result.name(), cases(j), j))
        .collect();
    let all: Vec<&Case> = suites.iter().flat_map(|(_, cases, _)| cases).collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"hearth test\" {} time=\"{:.3}\">",
        counts(&all),
        time.as_secs_f64()
    );
    for (name, cases, j) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" {} time=\"{:.3}\">",
            attr(name),
            counts(&cases.iter().collect::<Vec<_>>()),
            j.result.duration.as_secs_f64()
        );
        let classname = attr(&name.replace('/', "."));
        for case in cases {
            let open = format!(
                "    <testcase classname=\"{classname}\" name=\"{}\"",
                attr(&case.name)
            );
            match &case.result {
                Result::Pass => {
                    let _ = writeln!(out, "{open}/>");
                }
                Result::Skipped(message) => {
                    let _ = writeln!(out, "{open}>");
                    let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr(message));
                    out.push_str("    </testcase>\n");
                }
                Result::Failure {
                    kind,
                    message,
                    body,
                }
                | Result::Error {
                    kind,
                    message,
                    body,
                } => {
                    let tag = match case.result {
                        Result::Error { .. } => "error",
                        _ => "failure",
                    };
                    let _ = writeln!(out, "{open}>");
                    let _ = write!(
                        out,
                        "      <{tag} message=\"{}\" type=\"{}\"",
                        attr(message),
                        attr(kind)
                    );
                    match body {
                        Some(body) => {
                            let _ = writeln!(out, ">{}</{tag}>", text(body));
                        }
                        None => out.push_str("/>\n"),
                    }
                    out.push_str("    </testcase>\n");
                }
            }
        }
        if let Outcome::Ran { console, .. } = &j.result.outcome
            && !console.is_empty()
        {
            let lines: Vec<String> = console
                .iter()
                .map(|l| format!("[{}] {}", l.level, l.text))
                .collect();
            let _ = writeln!(
                out,
                "    <system-out>{}</system-out>",
                text(&lines.join("\n"))
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn counts(cases: &[&Case]) -> String {
    let count = |f: fn(&Result) -> bool| cases.iter().filter(|c| f(&c.result)).count();
    format!(
        "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
        cases.len(),
        count(|r| matches!(r, Result::Failure { .. })),
        count(|r| matches!(r, Result::Error { .. })),
        count(|r| matches!(r, Result::Skipped(_))),
    )
}

fn cases(j: &Judged) -> Vec<Case> {
    let file_case = |result| Case {
        name: FILE_CASE.to_owned(),
        result,
    };
    let report = match &j.result.outcome {
        Outcome::Skipped(reason) => return vec![file_case(Result::Skipped(reason.clone()))],
        Outcome::Ran { report, .. } => report,
    };
    let mut cases = Vec::new();
    let everything_passed = j.subtests.iter().all(|s| s.verdict == Verdict::Pass);
    if let Some(verdict) = j.harness {
        let status = harness_status(report.status);
        let message = report.message.clone().unwrap_or_else(|| status.to_owned());
        cases.push(file_case(if verdict == Verdict::KnownFailure {
            Result::Skipped(format!("known failure: harness {status}: {message}"))
        } else {
            Result::Error {
                kind: status.to_owned(),
                body: Some(details(&message, report.stack.as_deref())),
                message,
            }
        }));
    } else if j.verdict == Verdict::UnexpectedPass && everything_passed {
        cases.push(file_case(Result::Failure {
            kind: "UNEXPECTED_PASS".into(),
            message: "expected to fail (false in the expectations), but everything passed".into(),
            body: None,
        }));
    } else if report.tests.is_empty() {
        cases.push(file_case(Result::Pass));
    }
    for s in &j.subtests {
        let status = subtest_status(s.subtest.status);
        let message = s
            .subtest
            .message
            .clone()
            .unwrap_or_else(|| status.to_owned());
        let result = match s.verdict {
            Verdict::Pass | Verdict::Skip => Result::Pass,
            Verdict::KnownFailure => Result::Skipped(format!("known failure: {status}: {message}")),
            Verdict::UnexpectedPass => Result::Failure {
                kind: "UNEXPECTED_PASS".into(),
                message: "unexpected pass: listed as failing in the expectations".into(),
                body: None,
            },
            Verdict::Fail => Result::Failure {
                kind: status.to_owned(),
                body: Some(details(&message, s.subtest.stack.as_deref())),
                message,
            },
        };
        cases.push(Case {
            name: s.subtest.name.clone(),
            result,
        });
    }
    cases
}

/// Characters XML 1.0 cannot hold at all, even as references.
fn forbidden(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escaped for text content; characters XML forbids shown as `\u{1b}`.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A parser turns a literal CR into LF; the reference keeps it.
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// Escaped for a double-quoted attribute: also quotes, and whitespace as
/// references (a parser would otherwise normalize newlines to spaces).
fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
#[path = "junit_tests.rs"]
mod tests;
