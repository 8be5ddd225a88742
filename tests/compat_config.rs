//! Loading settings through the library: discovery, formats, precedence, errors.

use std::fs;
use std::path::{Path, PathBuf};

use hearth::config::{self, CliSettings, ConfigError, Settings};
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
