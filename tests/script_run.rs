//! `runtime::run_scripts`: classic scripts in a fresh isolate with the
//! testharness, the file's timeout, uncaught errors, console capture and
//! the socket trace.

use std::time::Duration;

use hearth::compat::{Registry, ResolvedFlags};
use hearth::runtime::harness::{HarnessStatus, SubtestStatus};
use hearth::runtime::trace::TraceEntry;
use hearth::runtime::{ClassicScript, ScriptOutcome, ScriptRunOptions, run_scripts};

fn flags(auto_reply: bool) -> ResolvedFlags {
    let flag = if auto_reply {
        "web_socket_auto_reply_to_close"
    } else {
        "web_socket_manual_reply_to_close"
    };
    Registry::builtin()
        .resolve(Some("2026-05-01"), &[flag.to_owned()], false)
        .expect("valid flags")
        .flags
}

fn run(scripts: &[(&str, &str)], timeout: Duration, trace: bool) -> ScriptOutcome {
    run_scripts(ScriptRunOptions {
        scripts: scripts
            .iter()
            .map(|(name, source)| ClassicScript {
                name: (*name).into(),
                source: (*source).into(),
            })
            .collect(),
        flags: flags(true),
        location: "http://127.0.0.1:1/dir/file.any.js?x=1".into(),
        timeout,
        heap_limit: 128 << 20,
        trace,
    })
}

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn scripts_share_one_global_scope_and_see_location() {
    let outcome = run(
        &[
            ("helper.js", "const shared = 41; let other = 'x';"),
            (
                "file.any.js",
                "test(() => { if (shared + 1 !== 42 || other !== 'x') throw new Error('not shared'); }, 'shared');\n\
                 test(() => { if (location.search !== '?x=1' || location.pathname !== '/dir/file.any.js') throw new Error(location.href); }, 'location');",
            ),
        ],
        10 * SECOND,
        false,
    );
    assert_eq!(
        outcome.report.status,
        HarnessStatus::Ok,
        "{:?}",
        outcome.report
    );
    let statuses: Vec<_> = outcome
        .report
        .tests
        .iter()
        .map(|t| (t.name.as_str(), t.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("shared", SubtestStatus::Pass),
            ("location", SubtestStatus::Pass)
        ],
        "{:?}",
        outcome.report
    );
}

fn one(source: &str, timeout: Duration) -> ScriptOutcome {
    run(&[("dir/file.any.js", source)], timeout, false)
}

/// The harness's message and stack (where an error's location is).
fn message(outcome: &ScriptOutcome) -> String {
    let r = &outcome.report;
    format!(
        "{}\n{}",
        r.message.as_deref().unwrap_or_default(),
        r.stack.as_deref().unwrap_or_default()
    )
}

#[test]
fn an_exception_at_top_level_is_a_harness_error_with_its_location() {
    let outcome = one(
        "test(() => {}, 'ok');\nthrow new TypeError('boom');",
        10 * SECOND,
    );
    assert_eq!(outcome.report.status, HarnessStatus::Error);
    let m = message(&outcome);
    assert!(
        m.contains("TypeError: boom") && m.contains("dir/file.any.js:2"),
        "{m}"
    );
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let outcome = one("test(() => {}, 'ok');\n\nlet = = 3;", 10 * SECOND);
    assert_eq!(outcome.report.status, HarnessStatus::Error);
    let m = message(&outcome);
    assert!(
        m.contains("SyntaxError") && m.contains("dir/file.any.js:3"),
        "{m}"
    );
}

#[test]
fn an_unhandled_rejection_is_a_harness_error() {
    let outcome = one(
        "Promise.reject(new RangeError('nobody caught me'));",
        10 * SECOND,
    );
    assert_eq!(outcome.report.status, HarnessStatus::Error);
    let m = message(&outcome);
    assert!(
        m.contains("Unhandled rejection") && m.contains("nobody caught me"),
        "{m}"
    );
}

#[test]
fn a_file_still_waiting_at_its_timeout_times_out() {
    // A timer far past the timeout keeps the loop busy, so only the
    // timeout can end the file.
    let outcome = one(
        "const t = async_test('never done'); setTimeout(() => t.done(), 100000);",
        SECOND,
    );
    assert_eq!(
        outcome.report.status,
        HarnessStatus::Timeout,
        "{:?}",
        outcome.report
    );
}

#[test]
fn a_file_nothing_can_finish_ends_at_once() {
    let started = std::time::Instant::now();
    let outcome = one("async_test('never done');", 60 * SECOND);
    assert_eq!(outcome.report.status, HarnessStatus::Timeout);
    assert!(
        message(&outcome).contains("nothing is left"),
        "{:?}",
        outcome.report
    );
    assert!(started.elapsed() < 30 * SECOND);
}

#[test]
fn a_script_that_never_yields_is_stopped_at_the_timeout() {
    let outcome = one("test(() => { for (;;) {} }, 'spins');", SECOND);
    assert_eq!(
        outcome.report.status,
        HarnessStatus::Timeout,
        "{:?}",
        outcome.report
    );
    assert!(
        message(&outcome).contains("still running at the file's timeout"),
        "{:?}",
        outcome.report
    );
}

#[test]
fn console_output_is_captured_in_order() {
    let outcome = one(
        "console.log('one', 1); console.warn('two'); test(() => console.error('three'), 'logs');",
        10 * SECOND,
    );
    let lines: Vec<(String, String)> = outcome
        .trace
        .iter()
        .filter_map(|e| match e {
            TraceEntry::Console { level, text } => Some((level.clone(), text.clone())),
            _ => None,
        })
        .collect();
    let expected = [("log", "one 1"), ("warn", "two"), ("error", "three")]
        .map(|(l, t)| (l.to_owned(), t.to_owned()));
    assert_eq!(lines, expected);
}

#[test]
fn the_trace_records_events_with_ready_state_and_frames() {
    let outcome = run(
        &[(
            "pair.any.js",
            "const t = async_test('pair close');\n\
             const [client, server] = Object.values(new WebSocketPair());\n\
             server.accept(); client.accept();\n\
             server.addEventListener('close', () => {});\n\
             client.addEventListener('close', () => t.done());\n\
             client.close(1000, 'bye');",
        )],
        10 * SECOND,
        true,
    );
    assert_eq!(
        outcome.report.status,
        HarnessStatus::Ok,
        "{:?}",
        outcome.report
    );
    let shown: Vec<String> = outcome
        .trace
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    let has = |needle: &str| shown.iter().any(|s| s.contains(needle));
    // The server end (ws#2) sees the close with readyState 3 (auto reply)
    // and sent the echo; the client end (ws#1) sent the original.
    assert!(
        has(
            r#""kind":"event","socket":2,"type":"close","ready_state":3,"code":1000,"reason":"bye","was_clean":true"#
        ),
        "{shown:#?}"
    );
    assert!(
        has(r#""endpoint":"ws#1","direction":"sent","frame":"Close 1000 \"bye\"""#),
        "{shown:#?}"
    );
    assert!(
        has(r#""endpoint":"ws#2","direction":"sent","frame":"Close 1000 \"bye\"""#),
        "{shown:#?}"
    );
    assert!(
        has(r#""endpoint":"ws#2","direction":"received","frame":"Close 1000 \"bye\"""#),
        "{shown:#?}"
    );
}
