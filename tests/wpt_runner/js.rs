//! `hearth test` running real test files: results, expectations, META
//! helpers and variants, timeouts, the WebSocket test server, reporters.

use super::*;

const PASS: &str = "test(() => assert_equals(1, 1), \"one is one\");\n\
                    promise_test(async () => { await Promise.resolve(); }, \"async works\");\n";

const FAIL: &str = "test(() => { console.log(\"about to fail\"); assert_equals(1, 2, \"numbers\"); }, \"one is two\");\n\
                    test(() => {}, \"fine\");\n";

fn pass_fail_tree() -> tempfile::TempDir {
    tree(&[("t/pass.any.js", PASS), ("t/fail.any.js", FAIL)])
}

#[test]
fn passes_failures_and_exit_codes() {
    let dir = pass_fail_tree();
    let out = hearth_test(dir.path(), &["t/pass.any.js"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("PASS    t/pass.any.js (2 subtests, "),
        "{}",
        out.stdout
    );

    let out = hearth_test(dir.path(), &["t"]);
    assert_eq!(out.code, 1);
    let text = &out.stdout;
    assert!(
        text.contains("FAIL    t/fail.any.js (1/2 subtests passed, "),
        "{text}"
    );
    assert!(
        text.contains("        ✗ FAIL one is two\n            assert_equals: numbers"),
        "{text}"
    );
    // Where it failed: the first frame of the stack.
    assert!(
        text.contains("            at Test.<anonymous> (t/fail.any.js:1:"),
        "{text}"
    );
    assert!(
        text.contains("        console:\n            [log] about to fail\n"),
        "{text}"
    );
    assert!(text.contains("PASS    t/pass.any.js"), "{text}");
    assert!(text.contains("Files:    2 (1 passed, 1 failed)"), "{text}");
    assert!(text.contains("Subtests: 4 (3 passed, 1 failed)"), "{text}");
}

#[test]
fn expectations_turn_known_failures_green_and_unexpected_passes_red() {
    let dir = pass_fail_tree();
    let with = |expectations: &str, args: &[&str]| {
        std::fs::write(dir.path().join("exp.json"), expectations).unwrap();
        let mut all = vec!["--expectations", "exp.json"];
        all.extend_from_slice(args);
        hearth_test(dir.path(), &all)
    };
    let out = with(r#"{"t/fail.any.js": ["one is two"]}"#, &["t"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("KNOWN   t/fail.any.js (1/2 subtests passed, 1 known failure")
    );
    assert!(
        out.stdout
            .contains("Subtests: 4 (3 passed, 1 known failure)"),
        "{}",
        out.stdout
    );

    let out = with(r#"{"t/fail.any.js": false}"#, &["t"]);
    assert_eq!(out.code, 0, "{}", out.stdout);

    // "fine" passes although listed: red, so the expectations get updated.
    let out = with(r#"{"t/fail.any.js": ["one is two", "fine"]}"#, &["t"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("XPASS   t/fail.any.js"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("! PASS fine: unexpected pass"),
        "{}",
        out.stdout
    );

    let out = with(r#"{"t/pass.any.js": false}"#, &["t/pass.any.js"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("expected to fail (false in the expectations), but everything passed")
    );

    // A listed subtest that does not exist is a stale expectation.
    let out = with(r#"{"t/fail.any.js": ["one is two", "renamed"]}"#, &["t"]);
    assert_eq!(out.code, 0);
    assert!(warnings(&out).contains(
        &"exp.json:1: t/fail.any.js: subtest \"renamed\" is not among the results of t/fail.any.js (stale expectation)"
    ), "{}", out.stderr);
}

#[test]
fn helpers_run_first_in_one_global() {
    let dir = tree(&[
        ("root/common/a.js", "const A = 'a';\n"),
        ("root/t/dir/b.js", "const B = A + 'b';\n"),
        (
            "root/t/dir/x.any.js",
            "// META: script=/common/a.js\n// META: script=b.js\n\
             test(() => assert_equals(B, 'ab'), 'order');\n",
        ),
    ]);
    let out = hearth_test(dir.path(), &["root/t", "--reporter", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(json(&out)["results"][0]["subtests"][0]["status"], "PASS");
}

#[test]
fn variants_get_their_own_location_and_substitutions() {
    let dir = tree(&[
        (
            "wpt/resources/testharness.js",
            "throw new Error('hearth brings its own');",
        ),
        (
            "wpt/t/v.sub.any.js",
            "// META: variant=?mode=one\n// META: variant=?mode=two\n// META: variant=?wss\n\
             test(() => {\n\
               assert_equals('{{GET[mode]}}', location.search.slice(6));\n\
               assert_equals(location.host, '{{host}}:{{ports[ws][0]}}');\n\
               assert_equals(location.pathname, '/t/v.sub.any.js');\n\
             }, 'substituted');\n",
        ),
    ]);
    let out = hearth_test(dir.path(), &["wpt", "--reporter", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        runs(&json(&out)),
        [
            (
                "wpt/t/v.sub.any.js?mode=one".into(),
                "OK".into(),
                "pass".into()
            ),
            (
                "wpt/t/v.sub.any.js?mode=two".into(),
                "OK".into(),
                "pass".into()
            ),
            (
                "wpt/t/v.sub.any.js?wss".into(),
                "SKIP".into(),
                "skip".into()
            ),
        ]
    );
}

#[test]
fn timeouts_default_and_long() {
    let slow = "async_test(t => { setTimeout(t.step_func_done(), 1500); }, 'takes 1.5 s');\n";
    let dir = tree(&[
        ("t/slow.any.js", slow),
        (
            "t/slow_long.any.js",
            &format!("// META: timeout=long\n{slow}"),
        ),
    ]);
    // 0.5 s per file; 3 s with timeout=long.
    let out = hearth_test(dir.path(), &["t", "--timeout", "0.5", "--reporter", "json"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        runs(&json(&out)),
        [
            ("t/slow.any.js".into(), "TIMEOUT".into(), "fail".into()),
            ("t/slow_long.any.js".into(), "OK".into(), "pass".into()),
        ]
    );
    let doc = json(&out);
    assert_eq!(doc["summary"]["files_timeouts"], 1);
}

#[test]
fn an_uncaught_exception_is_a_harness_error() {
    let dir = tree(&[(
        "t/boom.any.js",
        "test(() => {}, 'ok');\nthrow new Error('boom');\n",
    )]);
    let out = hearth_test(dir.path(), &["t", "--reporter", "json"]);
    assert_eq!(out.code, 1);
    let doc = json(&out);
    assert_eq!(doc["results"][0]["status"], "ERROR");
    assert!(
        doc["results"][0]["message"]
            .as_str()
            .unwrap()
            .contains("boom"),
        "{doc}"
    );
}

#[test]
fn websockets_reach_the_test_server() {
    let dir = tree(&[(
        "t/echo.sub.any.js",
        "async_test(t => {\n\
           const ws = new WebSocket('ws://{{host}}:{{ports[ws][0]}}/echo');\n\
           ws.onopen = t.step_func(() => ws.send('hello'));\n\
           ws.onmessage = t.step_func_done(e => { assert_equals(e.data, 'hello'); ws.close(); });\n\
           ws.onerror = t.unreached_func('error event');\n\
         }, 'echo');\n",
    )]);
    let out = hearth_test(dir.path(), &["t", "--reporter", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn reporters_agree_on_a_mixed_run() {
    let dir = pass_fail_tree();
    std::fs::write(dir.path().join("t/w.any.js"), WINDOW_ONLY).unwrap();

    let tap = hearth_test(dir.path(), &["t", "--reporter", "tap"]).stdout;
    let lines: Vec<&str> = tap.lines().collect();
    assert_eq!(&lines[..2], ["TAP version 13", "1..5"], "{tap}");
    assert!(
        lines.contains(&"not ok 1 - t/fail.any.js > one is two"),
        "{tap}"
    );
    assert!(lines.contains(&"ok 2 - t/fail.any.js > fine"), "{tap}");
    assert!(lines.contains(&"# [log] about to fail"), "{tap}");
    assert!(
        lines.contains(&"ok 3 - t/pass.any.js > one is one"),
        "{tap}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ok 5 - t/w.any.js # SKIP global=window"))
    );

    let xml = hearth_test(dir.path(), &["t", "--reporter", "junit"]).stdout;
    assert!(
        xml.contains(
            "<testsuites name=\"hearth test\" tests=\"5\" failures=\"1\" errors=\"0\" skipped=\"1\""
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase classname=\"t.fail.any.js\" name=\"one is two\">"),
        "{xml}"
    );
    assert!(
        xml.contains("<system-out>[log] about to fail</system-out>"),
        "{xml}"
    );

    let doc = json(&hearth_test(dir.path(), &["t", "--reporter", "json"]));
    assert_eq!(doc["summary"]["files"], 3);
    assert_eq!(doc["summary"]["ok"], false);
    assert_eq!(doc["results"][0]["console"][0]["text"], "about to fail");
}

#[test]
fn the_output_does_not_depend_on_jobs() {
    let files: Vec<(String, String)> = (0..6)
        .map(|i| {
            let delay = [300, 10, 200, 0, 100, 50][i];
            (
                format!("t/f{i}.any.js"),
                format!("async_test(t => {{ setTimeout(t.step_func_done(), {delay}); }}, 'waits {delay}');\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = tree(&refs);
    let results = |jobs: &str| {
        let mut doc = json(&hearth_test(
            dir.path(),
            &["t", "--reporter", "json", "--jobs", jobs],
        ));
        for run in doc["results"].as_array_mut().unwrap() {
            run["duration_ms"] = Value::Null;
        }
        doc["results"].clone()
    };
    let one = results("1");
    assert_eq!(one, results("4"));
    let names: Vec<&str> = one
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "t/f0.any.js",
            "t/f1.any.js",
            "t/f2.any.js",
            "t/f3.any.js",
            "t/f4.any.js",
            "t/f5.any.js"
        ]
    );
}

#[test]
fn worker_files_import_the_harness_and_are_told_about_other_scripts() {
    let dir = tree(&[
        (
            "w/ok.worker.js",
            "importScripts(\"/resources/testharness.js\");\ntest(() => {}, \"runs\");\ndone();\n",
        ),
        (
            "w/other.worker.js",
            "importScripts(\"/resources/testharness.js\", \"helper.js\");\ndone();\n",
        ),
    ]);
    let out = hearth_test(dir.path(), &["w/ok.worker.js"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = hearth_test(dir.path(), &["w/other.worker.js"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains(
            "importScripts(\"helper.js\"): hearth cannot fetch scripts; load it with // META: script=helper.js"
        ),
        "{}",
        out.stdout
    );
}
