//! hearth's testharness (`js/10_testharness.js`, `11_testharness_asserts.js`,
//! `12_testharness_api.js`) for real: each fixture under
//! `tests/fixtures/testharness/` runs in its own isolate through
//! `runtime::run_scripts`, and the report's file status and every subtest's
//! status and message are checked.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use hearth::compat::Registry;
use hearth::runtime::harness::{HarnessReport, HarnessStatus, SubtestStatus};
use hearth::runtime::trace::TraceEntry;
use hearth::runtime::{ClassicScript, ScriptRunOptions, run_scripts};
use support::hearth_process::{Hearth, write_files};

use HarnessStatus::{Error, Ok, PreconditionFailed as HarnessPreconditionFailed, Timeout};
use SubtestStatus::{Fail, Notrun, Pass, PreconditionFailed};

/// Long enough never to be reached by a fixture that finishes by itself.
const NO_TIMEOUT: Duration = Duration::from_secs(20);

struct Outcome {
    report: HarnessReport,
    console: Vec<String>,
}

/// Run `fixture` as `http://web-platform.test:8000/testharness/FIXTURE?wss`.
fn run(fixture: &str, timeout: Duration) -> Outcome {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/testharness")
        .join(fixture);
    let source = std::fs::read_to_string(&path).unwrap();
    let registry = Registry::builtin();
    let outcome = run_scripts(ScriptRunOptions {
        scripts: vec![ClassicScript {
            name: path.display().to_string(),
            source,
        }],
        flags: registry.flags_at(registry.newest_supported_date()),
        location: format!("http://web-platform.test:8000/testharness/{fixture}?wss"),
        timeout,
        heap_limit: 128 << 20,
        trace: false,
    });
    let console = outcome
        .trace
        .into_iter()
        .filter_map(|entry| match entry {
            TraceEntry::Console { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    Outcome {
        report: outcome.report,
        console,
    }
}

/// The file's status and message, then each subtest as (name, status,
/// message) in definition order.
fn check(
    report: &HarnessReport,
    status: HarnessStatus,
    message: Option<&str>,
    subtests: &[(&str, SubtestStatus, Option<&str>)],
) {
    let shown = format!("{report:#?}");
    assert_eq!(report.status, status, "{shown}");
    assert_eq!(report.message.as_deref(), message, "{shown}");
    let got: Vec<_> = report
        .tests
        .iter()
        .map(|t| (t.name.as_str(), t.status, t.message.as_deref()))
        .collect();
    assert_eq!(got, subtests, "{shown}");
}

#[test]
fn passing_and_failing_subtests_with_the_assert_message() {
    let out = run("pass_fail.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            ("a passing test", Pass, None),
            (
                "a failing assert",
                Fail,
                Some("assert_equals: arithmetic expected 3 but got 2"),
            ),
            (
                "an exception in a test",
                Fail,
                Some("Cannot read properties of null (reading 'x')"),
            ),
            // An unnamed test is named after the file, up to its first dot.
            ("pass_fail", Pass, None),
        ],
    );
    let failed = &out.report.tests[1];
    let stack = failed.stack.as_deref().unwrap();
    assert!(stack.contains("pass_fail.any.js:3:"), "{stack}");
    assert!(
        !stack.contains("hearth:1"),
        "glue frames are dropped: {stack}"
    );
}

#[test]
fn an_exception_at_the_top_level_ends_the_file_with_error() {
    let out = run("uncaught.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("Uncaught Error: top level broke"),
        &[
            ("defined before the error", Pass, None),
            (
                "started, never done",
                SubtestStatus::Timeout,
                Some("Test timed out"),
            ),
            ("queued promise_test", Notrun, None),
        ],
    );
    let stack = out.report.stack.as_deref().unwrap();
    assert!(stack.contains("uncaught.any.js:5:"), "{stack}");
}

#[test]
fn an_exception_in_a_listener_outside_any_step_is_the_files_error() {
    let out = run("uncaught_listener.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("RangeError: listener broke"),
        &[(
            "waits for an event",
            SubtestStatus::Timeout,
            Some("Test timed out"),
        )],
    );
    assert!(
        out.report
            .stack
            .as_deref()
            .unwrap()
            .contains("uncaught_listener.any.js:4:")
    );
}

#[test]
fn an_unhandled_rejection_is_the_files_error() {
    let out = run("unhandled_rejection.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("Unhandled rejection: TypeError: nobody handled this"),
        &[("waits", SubtestStatus::Timeout, Some("Test timed out"))],
    );
}

#[test]
fn allow_uncaught_exception_ignores_them() {
    let out = run("allow_uncaught.any.js", NO_TIMEOUT);
    check(&out.report, Ok, None, &[("still runs", Pass, None)]);
}

#[test]
fn explicit_done_waits_for_done_and_counts_later_tests() {
    let out = run("explicit_done.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            ("defined at once", Pass, None),
            ("defined later", Pass, None),
        ],
    );
}

#[test]
fn without_explicit_done_the_file_ends_once_its_tests_are_done() {
    let out = run("implicit_done.any.js", NO_TIMEOUT);
    check(&out.report, Ok, None, &[("defined at once", Pass, None)]);
}

#[test]
fn promise_tests_run_one_at_a_time_in_definition_order() {
    let out = run("promise_order.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            ("first", Pass, None),
            ("second", Pass, None),
            ("third sees the order", Pass, None),
            ("sync test", Pass, None),
            (
                "returns a non-thenable",
                Fail,
                Some(
                    "promise_test: test body must return a 'thenable' object \
                     (received an object with no `then` method)",
                ),
            ),
            (
                "rejects",
                Fail,
                Some(
                    "promise_test: Unhandled rejection with value: object \"TypeError: rejected\"",
                ),
            ),
        ],
    );
}

#[test]
fn async_test_step_helpers() {
    let out = run("async_test.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            ("step_func_done passes", Pass, None),
            (
                "step_func_done fails",
                Fail,
                Some("assert_equals: expected \"b\" but got \"a\""),
            ),
            ("step_timeout", Pass, None),
            (
                "unreached_func",
                Fail,
                Some("assert_unreached: the timer should not fire Reached unreachable code"),
            ),
            ("async_test(name), stepped later", Pass, None),
            ("global step_timeout", Pass, None),
        ],
    );
}

#[test]
fn the_files_timeout_marks_started_tests_timeout_and_the_rest_notrun() {
    let out = run("timeout.any.js", Duration::from_millis(300));
    check(
        &out.report,
        Timeout,
        None,
        &[
            (
                "never settles",
                SubtestStatus::Timeout,
                Some("Test timed out"),
            ),
            ("queued behind it", Notrun, None),
            ("never started", Notrun, None),
            ("finished", Pass, None),
        ],
    );
}

#[test]
fn assert_throws_dom_by_name_legacy_name_and_code() {
    let out = run("throws_dom.any.js", NO_TIMEOUT);
    let bad_url = "function \"() => new WebSocket(\"not a url\")\"";
    let thrown =
        "object \"SyntaxError: Failed to construct 'WebSocket': The URL 'not a url' is invalid.\"";
    check(
        &out.report,
        Ok,
        None,
        &[
            ("by name", Pass, None),
            ("by legacy constant name", Pass, None),
            ("by legacy code", Pass, None),
            ("atob", Pass, None),
            (
                "a JS SyntaxError",
                Fail,
                Some(
                    "assert_throws_dom: function \"() => { throw new SyntaxError(\"a JS SyntaxError\"); }\" \
                     threw object \"SyntaxError: a JS SyntaxError\" that is not a DOMException SyntaxError: \
                     property \"code\" is equal to undefined, expected 12",
                ),
            ),
            (
                "a look-alike object",
                Fail,
                Some(
                    "assert_throws_dom: function \"() => { throw { name: \"SyntaxError\", code: 12 }; }\" \
                     threw object \"[object Object]\" that is not a DOMException 12: not an instance of \
                     DOMException",
                ),
            ),
            (
                "the wrong name",
                Fail,
                Some(&format!(
                    "assert_throws_dom: constructing {bad_url} threw {thrown} that is not a DOMException \
                     InvalidStateError: property \"code\" is equal to 12, expected 11"
                )),
            ),
            (
                "nothing thrown",
                Fail,
                Some("assert_throws_dom: function \"() => {}\" did not throw"),
            ),
            ("assert_throws_js", Pass, None),
            ("promise_rejects_dom", Pass, None),
        ],
    );
}

#[test]
fn cleanups_run_in_order_then_completion_callbacks() {
    let out = run("cleanup.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            ("cleanups run in order after the body", Pass, None),
            (
                "cleanups run after a failure",
                Fail,
                Some("assert_unreached: fails Reached unreachable code"),
            ),
            ("a promise_test's async cleanup", Pass, None),
            (
                "the next promise_test starts after the cleanups",
                Pass,
                None,
            ),
        ],
    );
    assert_eq!(
        out.console,
        ["completion: 4 tests, harness status 0, 5 log entries"]
    );
}

#[test]
fn a_cleanup_that_throws_is_the_files_error() {
    let out = run("cleanup_throws.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("Test named 'bad cleanup' specified 1 'cleanup' function, and 1 failed."),
        &[("bad cleanup", Pass, None), ("after it", Notrun, None)],
    );
}

#[test]
fn event_watcher_fails_a_test_on_an_unexpected_event() {
    let out = run("event_watcher.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            ("events in the expected order", Pass, None),
            (
                "another watched event than the awaited one",
                Fail,
                Some(
                    "assert_equals: Expected message event, but got close event instead \
                     expected \"message\" but got \"close\"",
                ),
            ),
            (
                "a watched event while nothing waits",
                Fail,
                Some(
                    "assert_true: Not expecting event, but got message event expected true got false",
                ),
            ),
            ("wait_for a sequence, recording all", Pass, None),
        ],
    );
}

#[test]
fn location_and_global_as_wpt_workers_have_them() {
    let out = run("environment.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            ("location", Pass, None),
            ("GLOBAL", Pass, None),
            ("the harness's globals are not enumerable", Pass, None),
        ],
    );
}

#[test]
fn assert_implements_optional_is_precondition_failed() {
    let out = run("optional.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            (
                "optional",
                PreconditionFailed,
                Some("no such optional feature"),
            ),
            (
                "required",
                Fail,
                Some("assert_implements: a required feature"),
            ),
        ],
    );
}

#[test]
fn assert_implements_optional_in_setup_is_the_files_precondition_failed() {
    let out = run("optional_setup.any.js", NO_TIMEOUT);
    check(
        &out.report,
        HarnessPreconditionFailed,
        Some("Error: the file needs an optional feature"),
        &[],
    );
}

/// The glue defines the harness in the snapshot, but only install() (a test
/// file's context) puts it on the global: an ordinary worker has none of it.
#[tokio::test]
async fn an_ordinary_worker_does_not_see_the_harness() {
    let dir = tempfile::tempdir().unwrap();
    let worker = r#"export default {
  fetch() {
    const names = ["test", "async_test", "promise_test", "setup", "done", "assert_equals",
      "assert_throws_dom", "format_value", "EventWatcher", "GLOBAL", "location"];
    return new Response(JSON.stringify(names.filter((name) => name in globalThis)));
  },
};"#;
    write_files(dir.path(), &[("worker.js", worker)]);
    let hearth = Hearth::start(
        dir.path(),
        &["worker.js", "--compatibility-date", "2026-04-07"],
    );
    assert_eq!(hearth.get("/").await, (200, "[]".into()));
}
