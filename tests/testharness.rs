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
    run_with_helpers(&[], fixture, timeout)
}

/// Run the `helpers` (as `// META: script=` ones are), then `fixture`.
fn run_with_helpers(helpers: &[&str], fixture: &str, timeout: Duration) -> Outcome {
    let scripts = helpers
        .iter()
        .chain([&fixture])
        .map(|name| {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/testharness")
                .join(name);
            ClassicScript {
                source: std::fs::read_to_string(&path).unwrap(),
                name: path.display().to_string(),
            }
        })
        .collect();
    let registry = Registry::builtin();
    let outcome = run_scripts(ScriptRunOptions {
        scripts,
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

/// An uncaught exception is the file's ERROR, then as `done()`: the tests
/// already defined run on (testharness.js), none defined later is taken.
#[test]
fn an_exception_at_the_top_level_is_the_files_error_and_defined_tests_run_on() {
    let out = run("uncaught.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("Uncaught Error: top level broke"),
        &[
            ("defined before the error", Pass, None),
            ("done after the error", Pass, None),
            ("queued promise_test", Pass, None),
        ],
    );
    let stack = out.report.stack.as_deref().unwrap();
    assert!(stack.contains("uncaught.any.js:9:"), "{stack}");
}

/// In a WPT worker an exception in a `// META: script=` helper stops the
/// worker's script: hearth runs the later scripts, but their tests and
/// `setup()` no longer count.
#[test]
fn after_an_exception_in_a_helper_the_later_scripts_define_nothing() {
    let out = run_with_helpers(
        &["uncaught_helper.js"],
        "uncaught_after_helper.any.js",
        NO_TIMEOUT,
    );
    check(
        &out.report,
        Error,
        Some("Uncaught Error: helper broke"),
        &[("defined by the helper", Pass, None)],
    );
}

#[test]
fn an_exception_in_a_listener_is_the_files_error_and_tests_run_until_the_timeout() {
    let out = run("uncaught_listener.any.js", Duration::from_millis(500));
    check(
        &out.report,
        Error,
        Some("RangeError: listener broke"),
        &[
            ("done after the error", Pass, None),
            ("never done", SubtestStatus::Timeout, Some("Test timed out")),
        ],
    );
    assert!(
        out.report
            .stack
            .as_deref()
            .unwrap()
            .contains("uncaught_listener.any.js:7:")
    );
}

#[test]
fn an_unhandled_rejection_is_the_files_error() {
    let out = run("unhandled_rejection.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("Unhandled rejection: TypeError: nobody handled this"),
        &[("done after the rejection", Pass, None)],
    );
}

/// WPT's worker wrapper calls `done()` after the test's scripts: a file
/// without a test by then is an ERROR, not an empty OK.
#[test]
fn a_file_without_tests_at_the_end_of_its_scripts_is_an_error() {
    let out = run("no_tests.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("done() was called without first defining any tests"),
        &[],
    );
}

#[test]
fn an_explicit_done_without_tests_is_an_error() {
    let out = run("no_tests_explicit_done.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("done() was called without first defining any tests"),
        &[],
    );
}

#[test]
fn without_tests_an_earlier_error_keeps_its_message() {
    let out = run("no_tests_uncaught.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some("Uncaught TypeError: before any test"),
        &[],
    );
}

/// testharness.js: the harness ERROR, not the end of the file.
#[test]
fn a_test_function_returning_a_value_is_the_files_error_and_the_file_goes_on() {
    let out = run("test_returns_value.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Error,
        Some(
            "Test named \"returns a promise\" passed a function to `test` that returned a value. \
             Consider using `promise_test` instead when using Promises or async/await.",
        ),
        &[
            ("returns a promise", Pass, None),
            ("after it", Pass, None),
            ("async after it", Pass, None),
        ],
    );
}

/// Anonymous glue frames (`at hearth:12_testharness_api.js:101:23`) are
/// dropped like named ones, and so are the built-ins the glue calls (`at new
/// Promise (<anonymous>)`): no reported stack points into the harness.
#[test]
fn no_reported_stack_has_a_glue_frame() {
    let out = run("glue_frames.any.js", NO_TIMEOUT);
    check(
        &out.report,
        Ok,
        None,
        &[
            (
                "returns a number",
                Fail,
                Some(
                    "promise_test: test body must return a 'thenable' object \
                     (received an object with no `then` method)",
                ),
            ),
            (
                "fails synchronously",
                Fail,
                Some("assert_true: at once expected true got false"),
            ),
            (
                "fails in an async body",
                Fail,
                Some("assert_true: later expected true got false"),
            ),
            (
                "fails in step_timeout",
                Fail,
                Some("assert_true: in a timer expected true got false"),
            ),
        ],
    );
    let stacks = std::iter::once(&out.report.stack)
        .chain(out.report.tests.iter().map(|t| &t.stack))
        .flatten();
    for stack in stacks {
        assert!(!stack.contains("hearth:"), "a glue frame: {stack}");
        assert!(!stack.contains("new Promise"), "a glue frame: {stack}");
    }
    // The failure is the harness's own check: no frame of the test's code.
    assert_eq!(out.report.tests[0].stack, None);
    for (test, line) in out.report.tests[1..].iter().zip([4, 5, 6]) {
        let stack = test.stack.as_deref().unwrap_or_default();
        let at = format!("glue_frames.any.js:{line}:");
        assert!(stack.contains(&at), "{}: {stack}", test.name);
    }
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
