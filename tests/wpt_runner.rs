//! `hearth test` through the real binary on fixture trees in a temp dir:
//! discovery, --filter, META handling, expectations, exit codes, reporters.
//! Tests that need JavaScript to run (the testharness) are marked as such.

mod support;

use std::path::Path;

use serde_json::Value;
use support::hearth_process::{Output, hearth};

type Out = Output;

/// `hearth test ARGS` in `dir`, under a fixed compatibility date (no
/// "no date given" warning in stderr).
fn hearth_test(dir: &Path, args: &[&str]) -> Out {
    let mut all = vec!["test", "--compatibility-date", "2026-04-07"];
    all.extend_from_slice(args);
    hearth(dir, &all)
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The `--reporter json` document.
fn json(out: &Out) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\nstderr: {}", out.stdout, out.stderr))
}

/// (name, status, verdict) of every run.
fn runs(doc: &Value) -> Vec<(String, String, String)> {
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (s("name"), s("status"), s("verdict"))
        })
        .collect()
}

fn names(doc: &Value) -> Vec<String> {
    runs(doc).into_iter().map(|(name, _, _)| name).collect()
}

fn warnings(out: &Out) -> Vec<&str> {
    out.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .collect()
}

// Files that need no JavaScript to be judged: skipped by global=window.
const WINDOW_ONLY: &str = "// META: global=window\n";

#[test]
fn discovery_walks_sorted_skips_helper_dirs_and_filters() {
    let dir = tree(&[
        ("wpt/ws/b.any.js", WINDOW_ONLY),
        ("wpt/ws/a.worker.js", WINDOW_ONLY),
        ("wpt/ws/a.window.js", WINDOW_ONLY),
        ("wpt/ws/helper.js", WINDOW_ONLY),
        ("wpt/ws/sub/c.any.js", WINDOW_ONLY),
        ("wpt/ws/resources/r.any.js", WINDOW_ONLY),
        ("wpt/support/s.any.js", WINDOW_ONLY),
        ("wpt/tools/t.any.js", WINDOW_ONLY),
        ("wpt/.hidden/h.any.js", WINDOW_ONLY),
        ("wpt/other/d.any.js", WINDOW_ONLY),
    ]);
    // PATH defaults to ./wpt.
    let out = hearth_test(dir.path(), &["--reporter", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        names(&json(&out)),
        [
            "wpt/other/d.any.js",
            "wpt/ws/a.worker.js",
            "wpt/ws/b.any.js",
            "wpt/ws/sub/c.any.js"
        ]
    );
    // An explicit file always runs, whatever its name.
    let out = hearth_test(
        dir.path(),
        &["--reporter", "json", "wpt/ws/helper.js", "wpt/ws/sub"],
    );
    assert_eq!(
        names(&json(&out)),
        ["wpt/ws/helper.js", "wpt/ws/sub/c.any.js"]
    );
    let out = hearth_test(dir.path(), &["--reporter", "json", "--filter", "ws/"]);
    assert_eq!(
        names(&json(&out)),
        [
            "wpt/ws/a.worker.js",
            "wpt/ws/b.any.js",
            "wpt/ws/sub/c.any.js"
        ]
    );
    assert!(
        runs(&json(&out))
            .iter()
            .all(|(_, s, v)| s == "SKIP" && v == "skip")
    );
}

#[test]
fn paths_and_usage_errors() {
    let dir = tree(&[("t/a.any.js", WINDOW_ONLY), ("t/readme.txt", "")]);
    let out = hearth_test(dir.path(), &["t/nope.any.js"]);
    assert_eq!(
        (out.code, out.stderr.trim_end().lines().last()),
        (1, Some("error: t/nope.any.js: No such file or directory"))
    );
    let out = hearth_test(dir.path(), &["t", "--filter", "zzz"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error: no test file in t matches --filter \"zzz\"")
    );
    let empty = tree(&[("x/readme.txt", "")]);
    let out = hearth_test(empty.path(), &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error: wpt: No such file or directory (with no PATH given, hearth test runs the tests in ./wpt)"),
        "{}",
        out.stderr
    );
    let out = hearth_test(empty.path(), &["x"]);
    assert!(
        out.stderr
            .contains("error: no test files in x (test files are named *.any.js or *.worker.js)")
    );
    for args in [
        &["--jobs", "0"][..],
        &["--timeout", "-1"],
        &["--timeout", "soon"],
        &["--reporter", "xml"],
        &["--bogus"],
    ] {
        let out = hearth_test(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    }
}

#[test]
fn help_explains_every_option() {
    let out = hearth_test(Path::new("."), &["--help"]);
    assert_eq!(out.code, 0);
    for needle in [
        "--reporter",
        "pretty",
        "tap",
        "junit",
        "json",
        "--expectations",
        "--filter",
        "--jobs",
        "--timeout",
        "--output",
        "--compatibility-date",
        "--compatibility-flags",
        "META",
        "timeout=long",
        "variant",
        "?wss",
        "global=",
        "{{ports[ws][0]}}",
        "Exit status",
        "[default: wpt",
    ] {
        assert!(out.stdout.contains(needle), "--help lacks {needle:?}");
    }
}

#[test]
fn a_missing_helper_is_an_error_naming_file_line_and_path() {
    let dir = tree(&[(
        "t/a.any.js",
        "// META: title=helpers\n// META: script=/common/nope.js\ntest(() => {});\n",
    )]);
    let out = hearth_test(dir.path(), &["t", "--reporter", "json"]);
    assert_eq!(out.code, 1);
    let doc = json(&out);
    assert_eq!(doc["results"][0]["status"], "ERROR");
    assert_eq!(
        doc["results"][0]["message"],
        "t/a.any.js:2: script=/common/nope.js: not found in t or any directory above it"
    );
    assert_eq!(doc["results"][0]["title"], "helpers");
    // Expected to fail: green.
    std::fs::write(dir.path().join("exp.json"), r#"{"t/a.any.js": false}"#).unwrap();
    let out = hearth_test(dir.path(), &["t", "--expectations", "exp.json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("KNOWN   t/a.any.js"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("harness ERROR (expected): t/a.any.js:2: script=/common/nope.js")
    );
}

#[test]
fn unservable_variants_and_globals_are_skipped_with_a_reason() {
    let dir = tree(&[
        (
            "t/a.any.js",
            "// META: variant=?wss\n// META: variant=?wpt_flags=h2\n// META: script=gone.js\n",
        ),
        ("t/w.any.js", "// META: global=window\n"),
    ]);
    let out = hearth_test(dir.path(), &["t", "--reporter", "tap"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let points: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with("ok")).collect();
    assert_eq!(points.len(), 3, "{}", out.stdout);
    assert!(points[0].starts_with("ok 1 - t/a.any.js?wss # SKIP variant ?wss needs a TLS"));
    assert!(points[1].starts_with(
        "ok 2 - t/a.any.js?wpt_flags=h2 # SKIP variant ?wpt_flags=h2 needs an HTTP/2"
    ));
    assert!(points[2].starts_with("ok 3 - t/w.any.js # SKIP global=window"));
}

#[test]
fn meta_and_expectation_warnings_name_file_and_line() {
    let dir = tree(&[
        (
            "t/a.any.js",
            "// META: global=window\n// META: flavor=mint\n",
        ),
        ("t/b.any.js", WINDOW_ONLY),
        (
            "exp.json",
            "{\n  \"t/a.any.js\": false,\n  \"t/gone.any.js\": [\"x\"],\n  \"t/a.any.js?v\": false\n}",
        ),
    ]);
    let out = hearth_test(dir.path(), &["t", "--expectations", "exp.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        warnings(&out),
        [
            "t/a.any.js:2: unknown META key `flavor` is ignored",
            "exp.json:4: t/a.any.js?v: stale expectation: the test has no such variant",
            "exp.json:3: t/gone.any.js: stale expectation: no such test file",
        ]
    );
}

#[test]
fn a_bad_expectations_file_is_an_error_naming_file_line_and_key() {
    let dir = tree(&[("t/a.any.js", WINDOW_ONLY)]);
    for (text, message) in [
        (
            "{\n \"t/a.any.js\": \"no\"\n}",
            "error: exp.json:2: t/a.any.js: expected true, false or a list of subtest names, found \"no\"",
        ),
        (
            "{\n \"t/a.any.js\": true,\n",
            "error: exp.json:3: EOF while parsing a value",
        ),
    ] {
        std::fs::write(dir.path().join("exp.json"), text).unwrap();
        let out = hearth_test(dir.path(), &["t", "--expectations", "exp.json"]);
        assert_eq!(out.code, 1);
        assert!(out.stderr.contains(message), "{}", out.stderr);
        assert_eq!(out.stdout, "");
    }
    let out = hearth_test(dir.path(), &["t", "--expectations", "missing.json"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error: missing.json: No such file or directory")
    );
}

#[test]
fn output_goes_to_a_file_when_asked() {
    let dir = tree(&[("t/a.any.js", WINDOW_ONLY)]);
    let out = hearth_test(
        dir.path(),
        &["t", "--reporter", "junit", "-o", "report.xml"],
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let xml = std::fs::read_to_string(dir.path().join("report.xml")).unwrap();
    assert!(xml.contains(
        "<testsuite name=\"t/a.any.js\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""
    ));
    // Progress is one line per file when stderr is not a terminal.
    assert!(
        out.stderr.contains("[1/1] t/a.any.js SKIP: global=window"),
        "{}",
        out.stderr
    );
}

/// The tests that run JavaScript (they need the testharness).
#[path = "wpt_runner/js.rs"]
mod js;
