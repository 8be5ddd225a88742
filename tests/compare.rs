//! `hearth compare` through the real binary: the changelog's examples as
//! workers, driven by the scripted client over 127.0.0.1, text and JSON.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::hearth_process::{Output, hearth};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// `hearth compare ARGS` in a temp dir (no config file can leak in).
fn compare(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    compare_in(dir.path(), args)
}

fn compare_in(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    hearth(dir, &all)
}

fn example(name: &str) -> String {
    repo(&format!("examples/changelog/{name}"))
        .display()
        .to_string()
}

/// The frames and events of one side of a `--json` comparison, as lines.
fn side(json: &Value, which: &str) -> Vec<String> {
    json[which]["trace"]
        .as_array()
        .expect("a trace")
        .iter()
        .map(|e| match e["kind"].as_str().unwrap() {
            "frame" => format!(
                "{} {} {}",
                e["endpoint"].as_str().unwrap(),
                e["direction"].as_str().unwrap(),
                e["frame"].as_str().unwrap()
            ),
            "event" => format!(
                "event {} rs {} code {} clean {}",
                e["type"].as_str().unwrap(),
                e["ready_state"],
                e["code"],
                e["was_clean"]
            ),
            "console" => format!("console {}", e["text"].as_str().unwrap()),
            other => other.to_owned(),
        })
        .collect()
}

#[test]
fn example_one_shows_ready_state_2_to_3_and_the_reply_only_with_the_flag_on() {
    let run = compare(&[
        &example("auto-reply.js"),
        "--compatibility-date",
        "2026-04-07",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for expected in [
        "flag web_socket_auto_reply_to_close · compatibility date 2026-04-07",
        "flag off: --compatibility-flags web_socket_manual_reply_to_close",
        "• ws#2 close event: readyState 2 → 3",
        "• console.log: 2 → 3",
        "• only with the flag on: client ← Close 1000 \"bye\"",
        "• only with the flag off: client ← (no Close within 1000 ms)",
        "• only with the flag on: ws#2 → Close 1000 \"bye\"",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    // The side-by-side row: the close event, off on the left, on on the right.
    let row = out
        .lines()
        .find(|l| l.starts_with("| ws#2 close event"))
        .unwrap_or_else(|| panic!("no changed close-event row in\n{out}"));
    let (left, right) = row.split_once('│').unwrap();
    assert!(
        left.contains("readyState 2") && right.contains("readyState 3"),
        "{row}"
    );
}

#[test]
fn example_one_as_json_holds_both_traces() {
    let run = compare(&[
        &example("auto-reply.js"),
        "--compatibility-date",
        "2026-04-07",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(json["kind"], "worker");
    assert_eq!(json["flag"], "web_socket_auto_reply_to_close");
    assert_eq!(
        json["off"]["flags"],
        serde_json::json!(["web_socket_manual_reply_to_close"])
    );
    assert_eq!(json["on"]["flags"], serde_json::json!([]));
    let (off, on) = (side(&json, "off"), side(&json, "on"));
    let close_event = |lines: &[String]| {
        lines
            .iter()
            .find(|l| l.starts_with("event close"))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        close_event(&off),
        "event close rs 2 code 1000 clean true",
        "{off:#?}"
    );
    assert_eq!(
        close_event(&on),
        "event close rs 3 code 1000 clean true",
        "{on:#?}"
    );
    let reply = "client received Close 1000 \"bye\"";
    assert!(on.iter().any(|l| l == reply), "{on:#?}");
    assert!(!off.iter().any(|l| l == reply), "{off:#?}");
    let logs = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.starts_with("console"))
            .cloned()
            .collect()
    };
    assert_eq!(logs(&off), ["console 2", "console 1000", "console true"]);
    assert_eq!(logs(&on), ["console 3", "console 1000", "console true"]);
    assert!(json["summary"].as_array().unwrap().len() >= 3);
}

#[test]
fn example_two_behaves_the_same_either_way() {
    let run = compare(&[
        &example("half-open.js"),
        "--compatibility-date",
        "2026-04-07",
        "--exit-code",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("No differences"), "{}", run.stdout);
    assert!(
        run.stdout.contains("← Close 1000 \"done\""),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_code_reports_differences_when_asked() {
    let run = compare(&[
        &example("auto-reply.js"),
        "--compatibility-date",
        "2026-04-07",
        "--exit-code",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn a_client_script_drives_the_worker() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("steps.client"),
        "# the client closes with its own code and reason\nclose 4001 \"mine\"\nwait close\n",
    )
    .unwrap();
    let run = compare_in(
        dir.path(),
        &[
            &example("half-open.js"),
            "--compatibility-date",
            "2026-04-06",
            "--client-script",
            "steps.client",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The half-open handler replies with the peer's code and "done".
    assert!(
        run.stdout.contains("→ Close 4001 \"mine\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("← Close 4001 \"done\""),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Text \"hello\""), "{}", run.stdout);
}

#[test]
fn bad_input_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.client"), "send \"ok\"\nclose soon\n").unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &[&example("auto-reply.js"), "--client-script", "bad.client"],
            "error: bad.client:2: close takes a code (0-65535), not \"soon\"",
        ),
        (
            &[&example("auto-reply.js"), "--flag", "no_such_flag"],
            "error: No such compatibility flag: no_such_flag",
        ),
        (&["missing.js"], "error: missing.js: no such file"),
        (
            &[
                &example("auto-reply.js"),
                "--client-script",
                "absent.client",
            ],
            "error: absent.client: cannot read the client script",
        ),
    ];
    for (args, message) in cases {
        let run = compare_in(dir.path(), args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_test_file_is_compared_with_its_results() {
    let target = repo("wpt/changelog/example-1.any.js").display().to_string();
    let run = compare(&[&target, "--compatibility-date", "2026-04-07"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for expected in [
        "(test) · flag web_socket_auto_reply_to_close",
        "ws#2 close event: readyState 2 → 3",
        "console.log: 2 → 3",
        "only with the flag on: ws#2 → Close 1000",
        "as the example's comments say\": FAIL → PASS",
        "as the contract says\": PASS → FAIL",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

#[test]
fn a_worker_that_never_answers_the_upgrade_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("slow.js"),
        "export default { async fetch() { await new Promise((r) => setTimeout(r, 3600e3)); } };\n",
    )
    .unwrap();
    let run = compare_in(
        dir.path(),
        &[
            "slow.js",
            "--compatibility-date",
            "2026-04-07",
            "--wait",
            "100",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("error with the flag off: no answer to the WebSocket upgrade within 2s"),
        "{}",
        run.stdout
    );
}
