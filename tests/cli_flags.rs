//! `hearth flags` through the real binary: exit codes, stdout, stderr.

mod support;

use std::path::Path;

use support::hearth_process::{Output as Run, hearth};

/// Runs `hearth flags <args>` in `dir` (a temp dir unless given), so a
/// config file in the developer's own directory can never leak in.
fn flags_in(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["flags"];
    all.extend_from_slice(args);
    hearth(dir, &all)
}

fn flags(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    flags_in(dir.path(), args)
}

/// The `--json` output, parsed; asserts success without warnings.
fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let run = flags(&all);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{args:?}");
    serde_json::from_str(&run.stdout).expect("--json prints JSON")
}

const AUTO: &str = "web_socket_auto_reply_to_close";

#[test]
fn date_and_flag_combinations() {
    // (args, expected web_socket_auto_reply_to_close)
    let cases: &[(&[&str], bool)] = &[
        (&["--compatibility-date", "2026-04-06"], false),
        (&["--compatibility-date", "2026-04-07"], true),
        (
            &[
                "--compatibility-date",
                "2026-04-06",
                "--compatibility-flags",
                AUTO,
            ],
            true,
        ),
        (
            &[
                "--compatibility-date",
                "2026-04-06",
                "--compatibility-flags",
                "web_socket_manual_reply_to_close",
            ],
            false,
        ),
        (
            &[
                "--compatibility-date",
                "2026-05-01",
                "--compatibility-flags",
                "web_socket_manual_reply_to_close",
            ],
            false,
        ),
        (
            &[
                "--compatibility-date",
                "2026-04-01",
                "--compatibility-flags",
                "no_web_socket_compression, web_socket_auto_reply_to_close",
            ],
            true,
        ),
    ];
    for (args, on) in cases {
        assert_eq!(json(args)[AUTO], *on, "{args:?}");
    }
}

#[test]
fn flags_are_comma_separated_and_repeatable() {
    let v = json(&[
        "--compatibility-date",
        "2026-01-01",
        "--compatibility-flags",
        "web_socket_auto_reply_to_close,no_web_socket_compression",
        "--compatibility-flags",
        "websocket_standard_binary_type",
    ]);
    assert_eq!(
        v,
        serde_json::json!({
            "web_socket_auto_reply_to_close": true,
            "web_socket_compression": false,
            "websocket_standard_binary_type": true,
            "websocket_close_reason_byte_limit": false,
            "increase_websocket_message_size": false,
        })
    );
}

#[test]
fn errors_exit_1_with_exact_messages() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--compatibility-date",
                "2026-04-07",
                "--compatibility-flags",
                "web_socket_auto_reply_to_close,web_socket_manual_reply_to_close",
            ],
            "error: Compatibility flags are mutually contradictory: web_socket_auto_reply_to_close vs web_socket_manual_reply_to_close\n",
        ),
        (
            &[
                "--compatibility-date",
                "2026-04-07",
                "--compatibility-flags",
                "no_web_socket_auto_reply_to_close",
            ],
            "error: No such compatibility flag: no_web_socket_auto_reply_to_close\n",
        ),
        (
            &["--compatibility-date", "2027-01-01"],
            "error: This Worker requires compatibility date \"2027-01-01\", but the newest date supported by this server binary is \"2026-11-17\".\n",
        ),
        (
            &[
                "--compatibility-date",
                "2026-01-01",
                "--compatibility-flags",
                "increase_websocket_message_size",
            ],
            "error: The compatibility flag increase_websocket_message_size is experimental and may break or be removed in a future version of hearth. To use this flag, you must pass --experimental on the command line.\n",
        ),
    ];
    for (args, expected) in cases {
        for json in [false, true] {
            let mut all = args.to_vec();
            if json {
                all.push("--json");
            }
            let run = flags(&all);
            assert_eq!(
                (run.code, run.stderr.as_str(), run.stdout.as_str()),
                (1, *expected, ""),
                "{all:?}"
            );
        }
    }
}

#[test]
fn malformed_dates_name_value_and_newest_date() {
    for bad in ["2026-13-01", "2026-02-30", "yesterday", "2026-4-7"] {
        let run = flags(&["--compatibility-date", bad]);
        assert_eq!(run.code, 1, "{bad}");
        assert_eq!(
            run.stderr,
            format!(
                "error: Invalid compatibility date: {bad} (expected a date written YYYY-MM-DD, no \
                 later than 2026-11-17, the newest date supported by this server binary)\n"
            )
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn redundant_enable_flag_warns_and_succeeds() {
    let run = flags(&[
        "--compatibility-date",
        "2026-04-07",
        "--compatibility-flags",
        AUTO,
        "--json",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "warning: The compatibility flag web_socket_auto_reply_to_close became the default as of 2026-04-07 so does not need to be specified anymore.\n"
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[AUTO], true);
}

#[test]
fn no_date_warns_naming_newest_date() {
    let run = flags(&[]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "warning: No compatibility date was given, so the newest date supported by this server \
         binary, 2026-11-17, is used. Set compatibility_date in wrangler.toml or pass \
         --compatibility-date to keep behaviour stable across upgrades.\n"
    );
    assert!(
        run.stdout.starts_with("Compatibility date: 2026-11-17\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn experimental_flag_with_opt_in() {
    let v = json(&[
        "--compatibility-date",
        "2026-01-01",
        "--compatibility-flags",
        "increase_websocket_message_size",
        "--experimental",
    ]);
    assert_eq!(v["increase_websocket_message_size"], true);
}

#[test]
fn human_table_is_aligned_with_reasons() {
    let run = flags(&[
        "--compatibility-date",
        "2026-03-20",
        "--compatibility-flags",
        "web_socket_auto_reply_to_close,no_web_socket_compression",
    ]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        run.stdout,
        "Compatibility date: 2026-03-20\n\
         FLAG                               STATE  REASON\n\
         web_socket_auto_reply_to_close     on     enable flag\n\
         web_socket_compression             off    disable flag no_web_socket_compression\n\
         websocket_standard_binary_type     on     date (default since 2026-03-17)\n\
         websocket_close_reason_byte_limit  on     date (default since 2026-03-03)\n\
         increase_websocket_message_size    off    default-off (no default date)\n"
    );
    let off = flags(&["--compatibility-date", "2026-04-06"]);
    assert!(
        off.stdout.contains(
            "\nweb_socket_auto_reply_to_close     off    default-off (default from 2026-04-07)\n"
        ),
        "{}",
        off.stdout
    );
}

#[test]
fn config_files_are_discovered_and_overridden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wrangler.toml"),
        "compatibility_date = \"2026-04-07\"\ncompatibility_flags = [\"web_socket_manual_reply_to_close\"]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let run = flags_in(dir.path(), &all);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{args:?}");
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()
    };
    // From the file: the disable flag wins over the date.
    assert_eq!(run(&[])[AUTO], false);
    // The command line's (empty) flag list replaces the file's.
    assert_eq!(run(&["--compatibility-flags", ""])[AUTO], true);
    // The command line's date replaces the file's.
    assert_eq!(
        run(&["--compatibility-date", "2023-08-14"])["web_socket_compression"],
        false
    );
    let table = flags_in(dir.path(), &["--compatibility-date", "2026-04-08"]);
    assert!(
        table.stdout.starts_with("Compatibility date: 2026-04-08\n"),
        "{}",
        table.stdout
    );
}

#[test]
fn config_errors_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        (
            "wrangler.toml",
            "name = \"w\"\ncompatibility_date = \"2026-04-07\"\ncompatibility_flags = 3\n",
            "error: wrangler.toml:3: compatibility_flags: expected an array of strings, found integer\n",
        ),
        (
            "bad.json",
            "{\n\"compatibility_date\": \"2026-04-07\",\n\"compatibility_flags\": [\"a\", 7]\n}",
            "error: bad.json:3: compatibility_flags[1]: expected a string, found number\n",
        ),
        (
            "bad.jsonc",
            "{\n// c\n\"compatibility_date\": \"2026-04-07\",\n/* c\nc */ \"main\": [],\n}",
            "error: bad.jsonc:5: main: expected a string, found array\n",
        ),
    ];
    for (name, text, expected) in cases {
        std::fs::write(dir.path().join(name), text).unwrap();
        let run = flags_in(dir.path(), &["--config", name]);
        assert_eq!(
            (run.code, run.stderr.as_str(), run.stdout.as_str()),
            (1, *expected, ""),
            "{name}"
        );
    }
}

#[test]
fn json_and_jsonc_configs_are_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wrangler.jsonc"),
        "{\n  // trailing commas and comments, as wrangler allows\n  \"compatibility_date\": \"2026-04-06\",\n  \
         \"compatibility_flags\": [\"web_socket_auto_reply_to_close\", /* on early */],\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("other.json"),
        "{\"compatibility_date\": \"2026-04-06\"}",
    )
    .unwrap();
    let run = flags_in(dir.path(), &["--json"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()[AUTO],
        true
    );
    let run = flags_in(dir.path(), &["--json", "-c", "other.json"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()[AUTO],
        false
    );
}

#[test]
fn example_config_works() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/wrangler.toml");
    let run = flags(&["--json", "--config", example.to_str().unwrap()]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()[AUTO],
        true
    );
}

#[test]
fn help_documents_every_option() {
    let run = flags(&["--help"]);
    assert_eq!(run.code, 0);
    for option in [
        "--compatibility-date",
        "--compatibility-flags",
        "--config",
        "--experimental",
        "--json",
    ] {
        assert!(
            run.stdout.contains(option),
            "{option} missing from:\n{}",
            run.stdout
        );
    }
}

/// Writes `name` with `text` into a fresh directory and runs `hearth flags
/// <args>` there.
fn flags_with_file(name: &str, text: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    flags_in(dir.path(), args)
}

const INVALID_DATE_TAIL: &str = "(expected a date written YYYY-MM-DD, no later than 2026-11-17, \
                                 the newest date supported by this server binary)";

#[test]
fn value_errors_from_the_file_name_file_and_line() {
    // (file name, contents, extra args, exact stderr)
    let cases: &[(&str, &str, &[&str], String)] = &[
        (
            "wrangler.toml",
            "name = \"w\"\n# pinned\ncompatibility_date = \"2026-04-07\"\n\ncompatibility_flags = [\n  \
             \"no_web_socket_compression\",\n  \"no_web_socket_auto_reply_to_close\",\n]\n",
            &[],
            "error: wrangler.toml:7: compatibility_flags: No such compatibility flag: \
             no_web_socket_auto_reply_to_close\n"
                .into(),
        ),
        (
            "wrangler.json",
            "{\n\"compatibility_date\": \"2026-04-07\",\n\"compatibility_flags\": [\"nope\"]\n}\n",
            &[],
            "error: wrangler.json:3: compatibility_flags: No such compatibility flag: nope\n"
                .into(),
        ),
        (
            "wrangler.jsonc",
            "{\n  /* several\n     lines\n     of comment */\n  \"compatibility_date\": \"2026-04-07\",\n  \
             \"compatibility_flags\": [\n    // one\n    \"nope\",\n  ],\n}\n",
            &[],
            "error: wrangler.jsonc:8: compatibility_flags: No such compatibility flag: nope\n"
                .into(),
        ),
        (
            "wrangler.toml",
            "compatibility_date = \"2026-04-07\"\ncompatibility_flags = [\n  \
             \"web_socket_auto_reply_to_close\",\n  \"web_socket_manual_reply_to_close\",\n]\n",
            &[],
            "error: wrangler.toml:4: compatibility_flags: Compatibility flags are mutually \
             contradictory: web_socket_auto_reply_to_close vs web_socket_manual_reply_to_close\n"
                .into(),
        ),
        (
            "wrangler.toml",
            "\ncompatibility_date = \"2027-01-01\"\n",
            &[],
            "error: wrangler.toml:2: compatibility_date: This Worker requires compatibility \
             date \"2027-01-01\", but the newest date supported by this server binary is \
             \"2026-11-17\".\n"
                .into(),
        ),
        (
            "wrangler.jsonc",
            "{\n  // when\n  \"compatibility_date\": \"2026-13-01\",\n}\n",
            &[],
            format!(
                "error: wrangler.jsonc:3: compatibility_date: Invalid compatibility date: \
                 2026-13-01 {INVALID_DATE_TAIL}\n"
            ),
        ),
        (
            "wrangler.toml",
            "compatibility_date = \"2026-01-01\"\n\
             compatibility_flags = [\"increase_websocket_message_size\"]\n",
            &["--json"],
            "error: wrangler.toml:2: compatibility_flags: The compatibility flag \
             increase_websocket_message_size is experimental and may break or be removed in a \
             future version of hearth. To use this flag, you must pass --experimental on the \
             command line.\n"
                .into(),
        ),
        (
            // With --config, the path as given.
            "my.toml",
            "compatibility_date = \"2026-01-01\"\ncompatibility_flags = [\"nope\"]\n",
            &["--config", "my.toml"],
            "error: my.toml:2: compatibility_flags: No such compatibility flag: nope\n".into(),
        ),
    ];
    for (name, text, args, expected) in cases {
        let run = flags_with_file(name, text, args);
        assert_eq!(
            (run.code, run.stderr.as_str(), run.stdout.as_str()),
            (1, expected.as_str(), ""),
            "{name}: {text}"
        );
    }
}

#[test]
fn experimental_flag_in_the_file_with_opt_in() {
    let run = flags_with_file(
        "wrangler.toml",
        "compatibility_date = \"2026-01-01\"\n\
         compatibility_flags = [\"increase_websocket_message_size\"]\n",
        &["--json", "--experimental"],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["increase_websocket_message_size"], true);
}

#[test]
fn command_line_values_over_a_file_keep_the_production_message() {
    // The file's own values are fine and would resolve; the bad value is the
    // command line's, so the message names no file.
    let file = "compatibility_date = \"2026-01-01\"\n\
                compatibility_flags = [\"no_web_socket_compression\"]\n";
    let cases: &[(&[&str], String)] = &[
        (
            &["--compatibility-flags", "nope"],
            "error: No such compatibility flag: nope\n".into(),
        ),
        (
            &["--compatibility-date", "2026-4-7"],
            format!("error: Invalid compatibility date: 2026-4-7 {INVALID_DATE_TAIL}\n"),
        ),
        (
            &[
                "--compatibility-flags",
                "web_socket_manual_reply_to_close,web_socket_auto_reply_to_close",
            ],
            "error: Compatibility flags are mutually contradictory: \
             web_socket_auto_reply_to_close vs web_socket_manual_reply_to_close\n"
                .into(),
        ),
    ];
    for (args, expected) in cases {
        let run = flags_with_file("wrangler.toml", file, args);
        assert_eq!(
            (run.code, run.stderr.as_str(), run.stdout.as_str()),
            (1, expected.as_str(), ""),
            "{args:?}"
        );
    }
    // A bad flag in the file is still located when only the date is overridden.
    let run = flags_with_file(
        "wrangler.toml",
        "compatibility_date = \"2026-13-01\"\n\ncompatibility_flags = [\"nope\"]\n",
        &["--compatibility-date", "2026-01-01"],
    );
    assert_eq!(
        run.stderr,
        "error: wrangler.toml:3: compatibility_flags: No such compatibility flag: nope\n"
    );
}

#[test]
fn redundant_flag_warning_from_the_file_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wrangler.toml"),
        "compatibility_date = \"2026-04-07\"\n# on by date already\n\
         compatibility_flags = [\"web_socket_auto_reply_to_close\"]\n",
    )
    .unwrap();
    let run = flags_in(dir.path(), &["--json"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "warning: wrangler.toml:3: compatibility_flags: The compatibility flag \
         web_socket_auto_reply_to_close became the default as of 2026-04-07 so does not need \
         to be specified anymore.\n"
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[AUTO], true);
    // The same flag from the command line: the production text alone.
    let run = flags_in(dir.path(), &["--json", "--compatibility-flags", AUTO]);
    assert_eq!(
        run.stderr,
        "warning: The compatibility flag web_socket_auto_reply_to_close became the default as \
         of 2026-04-07 so does not need to be specified anymore.\n"
    );
}
