//! Loading settings through the library: discovery, formats, precedence, errors.

use std::fs;
use std::path::{Path, PathBuf};

use hearth::compat::{CompatError, Registry};
use hearth::config::{self, CliSettings, ConfigError, Location, Settings};
use serde_json::json;

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

fn load(dir: &Path, cli: CliSettings) -> Result<Settings, ConfigError> {
    config::load(&cli, dir)
}

#[test]
fn wrangler_toml_is_discovered_and_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "name = \"w\"\nmain = \"src/index.js\"\ncompatibility_date = \"2026-04-01\"\n\
         compatibility_flags = [\"web_socket_auto_reply_to_close\"]\n\n\
         [vars]\nGREETING = \"hi\"\nLIMITS = { max = 3 }\n",
    );
    let s = load(dir.path(), CliSettings::default()).unwrap();
    assert_eq!(s.config_file, Some(PathBuf::from("wrangler.toml")));
    assert_eq!(s.main, Some(PathBuf::from("src/index.js")));
    assert_eq!(s.compatibility_date.as_deref(), Some("2026-04-01"));
    assert_eq!(s.compatibility_flags, ["web_socket_auto_reply_to_close"]);
    assert_eq!(
        serde_json::to_value(&s.vars).unwrap(),
        json!({"GREETING": "hi", "LIMITS": {"max": 3}})
    );
    let r = s
        .resolve(hearth::compat::Registry::builtin(), false)
        .unwrap();
    assert!(r.flags.is_enabled("web_socket_auto_reply_to_close"));
}

#[test]
fn jsonc_with_comments_and_trailing_commas() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.jsonc",
        "{\n  // the date\n  \"compatibility_date\": \"2026-04-07\", /* block\n comment */\n  \
         \"compatibility_flags\": [\"web_socket_manual_reply_to_close\",],\n  \
         \"vars\": {\"A\": \"1\", \"B\": [1, 2,],},\n}\n",
    );
    let s = load(dir.path(), CliSettings::default()).unwrap();
    assert_eq!(s.config_file, Some(PathBuf::from("wrangler.jsonc")));
    assert_eq!(s.compatibility_date.as_deref(), Some("2026-04-07"));
    assert_eq!(s.compatibility_flags, ["web_socket_manual_reply_to_close"]);
    assert_eq!(
        serde_json::to_value(&s.vars).unwrap(),
        json!({"A": "1", "B": [1, 2]})
    );
}

#[test]
fn errors_name_file_line_and_key() {
    // (file name, contents, exact message)
    let cases: &[(&str, &str, &str)] = &[
        (
            "wrangler.toml",
            "name = \"w\"\ncompatibility_date = \"2026-04-07\"\ncompatibility_flags = 3\n",
            "wrangler.toml:3: compatibility_flags: expected an array of strings, found integer",
        ),
        (
            "wrangler.json",
            "{\n  \"compatibility_date\": \"2026-04-07\",\n  \"main\": 42\n}\n",
            "wrangler.json:3: main: expected a string, found number",
        ),
        (
            "wrangler.jsonc",
            "{\n  // comment\n  /* two\n  lines */\n  \"vars\": \"x\"\n}\n",
            "wrangler.jsonc:5: vars: expected an object of variables, found string",
        ),
        (
            "wrangler.jsonc",
            "{\n  \"main\": \"a.js\"\n  \"vars\": {}\n}\n",
            "wrangler.jsonc:3: expected `,` or `}`",
        ),
    ];
    for (name, text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), name, text);
        let err = load(dir.path(), CliSettings::default()).unwrap_err();
        assert_eq!(err.to_string(), *expected);
    }
}

#[test]
fn typed_error_carries_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wrangler.toml", "[vars]\nOK = 1\nBAD = inf\n");
    match load(dir.path(), CliSettings::default()).unwrap_err() {
        ConfigError::Invalid {
            file, line, key, ..
        } => {
            assert_eq!(
                (file.as_str(), line, key.as_deref()),
                ("wrangler.toml", 3, Some("vars.BAD"))
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn command_line_wins_over_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "compatibility_date = \"2026-01-01\"\ncompatibility_flags = [\"web_socket_manual_reply_to_close\"]\n",
    );
    let cli = CliSettings {
        compatibility_date: Some("2026-04-07".into()),
        compatibility_flags: Some(vec![]),
        ..Default::default()
    };
    let s = load(dir.path(), cli).unwrap();
    assert_eq!(s.compatibility_date.as_deref(), Some("2026-04-07"));
    assert!(s.compatibility_flags.is_empty());
}

#[test]
fn explicit_config_path_and_discovery_order() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("conf")).unwrap();
    write(
        dir.path(),
        "conf/w.jsonc",
        "{\"main\": \"index.js\", \"compatibility_date\": \"2026-02-02\"}",
    );
    write(
        dir.path(),
        "wrangler.toml",
        "compatibility_date = \"2026-03-03\"\n",
    );
    write(
        dir.path(),
        "wrangler.json",
        "{\"compatibility_date\": \"2026-04-04\"}",
    );

    // wrangler.json is preferred over wrangler.toml, as in wrangler.
    let s = load(dir.path(), CliSettings::default()).unwrap();
    assert_eq!(s.compatibility_date.as_deref(), Some("2026-04-04"));

    let cli = CliSettings {
        config: Some("conf/w.jsonc".into()),
        ..Default::default()
    };
    let s = load(dir.path(), cli).unwrap();
    assert_eq!(s.compatibility_date.as_deref(), Some("2026-02-02"));
    // `main` is relative to the config file, as in wrangler.
    assert_eq!(s.main, Some(PathBuf::from("conf/index.js")));

    let cli = CliSettings {
        config: Some("missing.toml".into()),
        ..Default::default()
    };
    let err = load(dir.path(), cli).unwrap_err().to_string();
    assert!(err.starts_with("could not read missing.toml: "), "{err}");
}

#[test]
fn no_config_file_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let s = load(dir.path(), CliSettings::default()).unwrap();
    assert_eq!(s, Settings::default());
}

const NEWEST: &str = "2026-11-17";

/// Loads `text` as `name` in a fresh directory and resolves it; the error text.
fn resolve_error(name: &str, text: &str, cli: CliSettings, experimental: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, text);
    let settings = load(dir.path(), cli).unwrap();
    settings
        .resolve(Registry::builtin(), experimental)
        .unwrap_err()
        .to_string()
}

#[test]
fn value_errors_from_the_file_name_file_line_and_key() {
    // (file name, contents, exact message)
    let cases: &[(&str, &str, String)] = &[
        (
            "wrangler.toml",
            "name = \"w\"\ncompatibility_date = \"2026-04-07\"\ncompatibility_flags = [\n  \
             \"no_web_socket_compression\",\n\n  \"no_web_socket_auto_reply_to_close\",\n]\n",
            "wrangler.toml:6: compatibility_flags: No such compatibility flag: \
             no_web_socket_auto_reply_to_close"
                .into(),
        ),
        (
            "wrangler.json",
            "{\n  \"compatibility_date\": \"2026-04-07\",\n  \"compatibility_flags\": [\n    \
             \"no_web_socket_compression\",\n    \"no_web_socket_auto_reply_to_close\"\n  ]\n}\n",
            "wrangler.json:5: compatibility_flags: No such compatibility flag: \
             no_web_socket_auto_reply_to_close"
                .into(),
        ),
        (
            // Line numbers count the lines inside a multi-line block comment.
            "wrangler.jsonc",
            "{\n  /* the\n     date\n  */\n  \"compatibility_date\": \"2026-04-07\",\n  \
             // flags\n  \"compatibility_flags\": [\"no_web_socket_compression\", /* x\n */ \
             \"no_web_socket_auto_reply_to_close\",],\n}\n",
            "wrangler.jsonc:8: compatibility_flags: No such compatibility flag: \
             no_web_socket_auto_reply_to_close"
                .into(),
        ),
        (
            // Contradictions point at the second of the two names.
            "wrangler.toml",
            "compatibility_date = \"2026-04-07\"\ncompatibility_flags = [\n  \
             \"web_socket_manual_reply_to_close\",\n  \"no_web_socket_compression\",\n  \
             \"web_socket_auto_reply_to_close\",\n]\n",
            "wrangler.toml:5: compatibility_flags: Compatibility flags are mutually \
             contradictory: web_socket_auto_reply_to_close vs web_socket_manual_reply_to_close"
                .into(),
        ),
        (
            "wrangler.jsonc",
            "{\n  \"compatibility_flags\": [\n    \"web_socket_auto_reply_to_close\",\n    \
             \"web_socket_manual_reply_to_close\"\n  ],\n  \"compatibility_date\": \"2026-01-01\"\n}\n",
            "wrangler.jsonc:4: compatibility_flags: Compatibility flags are mutually \
             contradictory: web_socket_auto_reply_to_close vs web_socket_manual_reply_to_close"
                .into(),
        ),
        (
            // A repeated name points at the repetition.
            "wrangler.toml",
            "compatibility_date = \"2026-01-01\"\ncompatibility_flags = [\n  \
             \"no_web_socket_compression\",\n  \"no_web_socket_compression\",\n]\n",
            "wrangler.toml:4: compatibility_flags: Compatibility flag specified multiple \
             times: no_web_socket_compression"
                .into(),
        ),
        (
            "wrangler.toml",
            "name = \"w\"\n\ncompatibility_date = \"2027-01-01\"\n",
            format!(
                "wrangler.toml:3: compatibility_date: This Worker requires compatibility date \
                 \"2027-01-01\", but the newest date supported by this server binary is \
                 \"{NEWEST}\"."
            ),
        ),
        (
            "wrangler.jsonc",
            "{\n  /* a\n  b */\n  \"compatibility_date\": \"2026-4-7\"\n}\n",
            format!(
                "wrangler.jsonc:4: compatibility_date: Invalid compatibility date: 2026-4-7 \
                 (expected a date written YYYY-MM-DD, no later than {NEWEST}, the newest date \
                 supported by this server binary)"
            ),
        ),
        (
            "wrangler.json",
            "{\"compatibility_flags\": [],\n\"compatibility_date\": \"2026-02-30\"}",
            format!(
                "wrangler.json:2: compatibility_date: Invalid compatibility date: 2026-02-30 \
                 (expected a date written YYYY-MM-DD, no later than {NEWEST}, the newest date \
                 supported by this server binary)"
            ),
        ),
        (
            "wrangler.toml",
            "compatibility_date = \"2026-01-01\"\n\
             compatibility_flags = [\"no_web_socket_compression\",\n\"increase_websocket_message_size\"]\n",
            "wrangler.toml:3: compatibility_flags: The compatibility flag \
             increase_websocket_message_size is experimental and may break or be removed in a \
             future version of hearth. To use this flag, you must pass --experimental on the \
             command line."
                .into(),
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(
            resolve_error(name, text, CliSettings::default(), false),
            *expected,
            "{name}: {text}"
        );
    }
}

#[test]
fn value_errors_carry_a_typed_location() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("conf")).unwrap();
    write(
        dir.path(),
        "conf/w.toml",
        "compatibility_date = \"2026-01-01\"\ncompatibility_flags = [\"x\"]\n",
    );
    let cli = CliSettings {
        config: Some("conf/w.toml".into()),
        ..Default::default()
    };
    let err = load(dir.path(), cli)
        .unwrap()
        .resolve(Registry::builtin(), false)
        .unwrap_err();
    assert_eq!(
        err.location,
        Some(Location {
            file: "conf/w.toml".into(),
            line: 2,
            key: "compatibility_flags",
        })
    );
    assert_eq!(
        err.message,
        CompatError::UnknownFlag {
            name: "x".into(),
            index: 0
        }
    );
    assert_eq!(
        err.to_string(),
        "conf/w.toml:2: compatibility_flags: No such compatibility flag: x"
    );
}

#[test]
fn value_errors_from_the_command_line_are_unchanged() {
    // The file is fine; each bad value comes from the command line, which
    // replaces the file's, so there is no file line to name.
    let file = "compatibility_date = \"2026-01-01\"\n\
                compatibility_flags = [\"no_web_socket_compression\"]\n";
    let flags = |names: &[&str]| Some(names.iter().map(|s| s.to_string()).collect());
    let cases: &[(CliSettings, String)] = &[
        (
            CliSettings {
                compatibility_flags: flags(&["no_web_socket_auto_reply_to_close"]),
                ..Default::default()
            },
            "No such compatibility flag: no_web_socket_auto_reply_to_close".into(),
        ),
        (
            CliSettings {
                compatibility_flags: flags(&[
                    "web_socket_auto_reply_to_close",
                    "web_socket_manual_reply_to_close",
                ]),
                ..Default::default()
            },
            "Compatibility flags are mutually contradictory: web_socket_auto_reply_to_close \
             vs web_socket_manual_reply_to_close"
                .into(),
        ),
        (
            CliSettings {
                compatibility_flags: flags(&["increase_websocket_message_size"]),
                ..Default::default()
            },
            "The compatibility flag increase_websocket_message_size is experimental and may \
             break or be removed in a future version of hearth. To use this flag, you must \
             pass --experimental on the command line."
                .into(),
        ),
        (
            CliSettings {
                compatibility_date: Some("2027-01-01".into()),
                ..Default::default()
            },
            format!(
                "This Worker requires compatibility date \"2027-01-01\", but the newest date \
                 supported by this server binary is \"{NEWEST}\"."
            ),
        ),
        (
            CliSettings {
                compatibility_date: Some("yesterday".into()),
                ..Default::default()
            },
            format!(
                "Invalid compatibility date: yesterday (expected a date written YYYY-MM-DD, no \
                 later than {NEWEST}, the newest date supported by this server binary)"
            ),
        ),
    ];
    for (cli, expected) in cases {
        assert_eq!(
            resolve_error("wrangler.toml", file, cli.clone(), false),
            *expected,
            "{cli:?}"
        );
    }
}

#[test]
fn each_value_is_located_where_it_came_from() {
    // Date from the command line, flags from the file: a bad flag still
    // names the file; a bad date does not.
    let file = "compatibility_date = \"2026-01-01\"\n\ncompatibility_flags = [\"nope\"]\n";
    let cli = CliSettings {
        compatibility_date: Some("2026-04-07".into()),
        ..Default::default()
    };
    assert_eq!(
        resolve_error("wrangler.toml", file, cli, false),
        "wrangler.toml:3: compatibility_flags: No such compatibility flag: nope"
    );
    let file = "compatibility_date = \"2026-13-01\"\ncompatibility_flags = [\"nope\"]\n";
    let cli = CliSettings {
        compatibility_flags: Some(vec!["no_web_socket_compression".into()]),
        ..Default::default()
    };
    assert_eq!(
        resolve_error("wrangler.toml", file, cli, false),
        format!(
            "wrangler.toml:1: compatibility_date: Invalid compatibility date: 2026-13-01 \
             (expected a date written YYYY-MM-DD, no later than {NEWEST}, the newest date \
             supported by this server binary)"
        )
    );
    let cli = CliSettings {
        compatibility_date: Some("2026-13-01".into()),
        compatibility_flags: Some(vec![]),
        ..Default::default()
    };
    assert!(
        resolve_error("wrangler.toml", file, cli, false)
            .starts_with("Invalid compatibility date: 2026-13-01 ("),
    );
}

#[test]
fn experimental_flag_in_the_file_is_allowed_with_opt_in() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "compatibility_date = \"2026-01-01\"\ncompatibility_flags = [\"increase_websocket_message_size\"]\n",
    );
    let settings = load(dir.path(), CliSettings::default()).unwrap();
    let r = settings.resolve(Registry::builtin(), true).unwrap();
    assert!(r.flags.is_enabled("increase_websocket_message_size"));
}

#[test]
fn redundant_flag_warning_from_the_file_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.jsonc",
        "{\n  \"compatibility_date\": \"2026-04-07\",\n  /* on by date\n     already */\n  \
         \"compatibility_flags\": [\n    \"no_web_socket_compression\",\n    \
         \"web_socket_auto_reply_to_close\",\n  ],\n}\n",
    );
    let settings = load(dir.path(), CliSettings::default()).unwrap();
    let r = settings.resolve(Registry::builtin(), false).unwrap();
    let warnings: Vec<String> = r
        .warnings
        .iter()
        .map(|w| settings.locate(w.input(), w).to_string())
        .collect();
    assert_eq!(
        warnings,
        [
            "wrangler.jsonc:7: compatibility_flags: The compatibility flag \
          web_socket_auto_reply_to_close became the default as of 2026-04-07 so does not need \
          to be specified anymore."
        ]
    );

    // From the command line: the production text alone.
    let cli = CliSettings {
        compatibility_flags: Some(vec!["web_socket_auto_reply_to_close".into()]),
        ..Default::default()
    };
    let settings = load(dir.path(), cli).unwrap();
    let r = settings.resolve(Registry::builtin(), false).unwrap();
    let located = settings.locate(r.warnings[0].input(), &r.warnings[0]);
    assert_eq!(located.location, None);
    assert_eq!(located.to_string(), r.warnings[0].to_string());
}
