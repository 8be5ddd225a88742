//! Reporters: the judged runs rendered for people (`pretty`), for TAP
//! consumers (`tap`), for CI test viewers (`junit`) and for programs
//! (`json`). Each is a pure function of the runs, the summary and the wall
//! time, so its output can be tested byte for byte.

use std::time::Duration;

use super::verdict::{Judged, Summary};
use crate::runtime::harness::{HarnessStatus, SubtestStatus};

mod json;
mod junit;
mod pretty;
mod tap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reporter {
    /// Per file a status line, failures with their messages and console output, a summary.
    Pretty,
    /// TAP version 13: one test point per subtest.
    Tap,
    /// JUnit XML: one testsuite per file, one testcase per subtest.
    Junit,
    /// One JSON document: every file, subtest and console line, and the summary.
    Json,
}

pub fn render(reporter: Reporter, judged: &[Judged], summary: &Summary, time: Duration) -> String {
    match reporter {
        Reporter::Pretty => pretty::render(judged, summary, time),
        Reporter::Tap => tap::render(judged),
        Reporter::Junit => junit::render(judged, time),
        Reporter::Json => json::render(judged, summary, time),
    }
}

/// `OK`, `ERROR`, ... as testharness.js spells them.
pub fn harness_status(status: HarnessStatus) -> &'static str {
    status.as_str()
}

/// `PASS`, `FAIL`, ... as testharness.js spells them.
pub fn subtest_status(status: SubtestStatus) -> &'static str {
    status.as_str()
}

/// `text` safe to print: control characters other than newline and tab
/// (a test's console output may hold terminal escapes) as `\u{1b}`.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Where a failure happened: the first `at ...` line of its stack.
pub fn first_frame(stack: Option<&str>) -> Option<&str> {
    stack?.lines().map(str::trim).find(|l| l.starts_with("at "))
}

/// A failure's details: the message, then the stack unless it already
/// starts with the message (V8's stacks of thrown errors do).
pub fn details(message: &str, stack: Option<&str>) -> String {
    match stack {
        Some(stack) if stack.contains(message) => stack.to_owned(),
        Some(stack) => format!("{message}\n{stack}"),
        None => message.to_owned(),
    }
}

/// A fixed set of judged runs covering every verdict, for the reporters' tests.
#[cfg(test)]
pub(crate) mod fixture {
    use std::time::Duration;

    use crate::runtime::harness::{HarnessReport, HarnessStatus, Subtest, SubtestStatus};
    use crate::wpt::discover::TestFile;
    use crate::wpt::expectations::Expected;
    use crate::wpt::runner::{ConsoleLine, Outcome, RunResult};
    use crate::wpt::verdict::{Judged, judge};

    fn ran(
        path: &str,
        variant: &str,
        status: HarnessStatus,
        message: Option<&str>,
        tests: &[(&str, SubtestStatus, Option<&str>)],
        console: &[(&str, &str)],
        ms: u64,
    ) -> RunResult {
        RunResult {
            file: TestFile {
                path: path.into(),
                display: path.into(),
                base: ".".into(),
            },
            variant: variant.into(),
            title: None,
            outcome: Outcome::Ran {
                report: HarnessReport {
                    status,
                    message: message.map(str::to_owned),
                    stack: None,
                    tests: tests
                        .iter()
                        .map(|(name, status, message)| Subtest {
                            name: (*name).into(),
                            status: *status,
                            message: message.map(str::to_owned),
                            // Failures get a stack as the harness reports it.
                            stack: (*status == SubtestStatus::Fail).then(|| {
                                format!("    at Test.<anonymous> ({path}:3:14)\n    at {path}:3:1")
                            }),
                        })
                        .collect(),
                },
                console: console
                    .iter()
                    .map(|(level, text)| ConsoleLine {
                        level: (*level).into(),
                        text: (*text).into(),
                    })
                    .collect(),
            },
            duration: Duration::from_millis(ms),
        }
    }

    fn listed(names: &[&str]) -> Expected {
        Expected::Subtests(names.iter().map(|n| n.to_string()).collect())
    }

    pub fn judged() -> Vec<Judged> {
        use HarnessStatus as H;
        use SubtestStatus::{Fail, Pass, Timeout};
        let mut skipped = ran("ws/d.any.js", "?wss", H::Ok, None, &[], &[], 0);
        skipped.outcome = Outcome::Skipped("variant ?wss needs TLS".into());
        vec![
            judge(
                ran(
                    "ws/a.any.js",
                    "",
                    H::Ok,
                    None,
                    &[("opens", Pass, None), ("closes", Pass, None)],
                    &[("log", "quiet")],
                    120,
                ),
                Expected::Pass,
            ),
            judge(
                ran(
                    "ws/b.any.js",
                    "",
                    H::Ok,
                    None,
                    &[
                        (
                            "sends <text> & \"quotes\"",
                            Fail,
                            Some("assert_equals: expected 1 but got 2\nsecond line"),
                        ),
                        ("waits", Timeout, Some("Test timed out")),
                        ("known # hash", Fail, Some("not yet")),
                        ("fixed", Pass, None),
                        ("fine", Pass, None),
                    ],
                    &[("log", "hello\u{1b}[31m"), ("error", "bad <thing>")],
                    500,
                ),
                listed(&["known # hash", "fixed"]),
            ),
            judge(
                ran(
                    "ws/c.any.js",
                    "?default",
                    H::Error,
                    Some("script=/x.js: not found"),
                    &[],
                    &[],
                    3,
                ),
                Expected::Pass,
            ),
            judge(
                ran(
                    "ws/d.any.js",
                    "",
                    H::Timeout,
                    Some("file timed out"),
                    &[("slow", Timeout, None)],
                    &[],
                    10_000,
                ),
                Expected::FileFails,
            ),
            judge(skipped, Expected::Pass),
            judge(
                ran(
                    "ws/e.any.js",
                    "",
                    H::Ok,
                    None,
                    &[("works now", Pass, None)],
                    &[],
                    7,
                ),
                Expected::FileFails,
            ),
        ]
    }
}
