//! `--expectations FILE`: which tests are known to fail, so a run is green
//! when nothing changed and red when something broke *or got fixed*.
//!
//! The file is one JSON object. A key is a test path relative to the
//! expectations file's directory (`/`-separated), optionally with a
//! `?variant` (which wins over the bare path for that variant). A value is
//! `true` (everything passes: the default for a file not listed), `false`
//! (the file is expected to fail: its harness is not OK or some subtest does
//! not pass) or a list of subtest names expected not to pass.
//!
//! Errors and warnings name the file, the line and the key: the line of
//! a value comes from a second look at the text (`serde_json`'s `RawValue`
//! borrows a slice of it, whose offset gives the line).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::value::RawValue;

use super::discover::{display_path, io_reason};

/// What a test is expected to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Harness OK, every subtest PASS.
    Pass,
    /// The file fails (harness not OK, or some subtest does not pass).
    FileFails,
    /// These subtests do not pass; every other one does.
    Subtests(BTreeSet<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    line: usize,
    expected: Expected,
}

#[derive(Debug, Clone)]
pub struct Expectations {
    /// The file as the user named it, for messages.
    name: String,
    /// Keys are relative to it (canonical, to compare with test paths).
    dir: PathBuf,
    entries: BTreeMap<String, Entry>,
}

const EXPECTED_SHAPE: &str = "expected true, false or a list of subtest names";

impl Expectations {
    /// No file: everything is expected to pass.
    pub fn none() -> Expectations {
        Expectations {
            name: String::new(),
            dir: PathBuf::new(),
            entries: BTreeMap::new(),
        }
    }

    /// Read and check `path`; errors name it (as `cwd`-relative) and the line.
    pub fn load(path: &Path, cwd: &Path) -> Result<Expectations, String> {
        let name = display_path(path, cwd);
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{name}: {}", io_reason(&e)))?;
        let absolute = std::fs::canonicalize(path).map_err(|e| format!("{name}: {e}"))?;
        let dir = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
        Self::parse(&text, &name, dir)
    }

    /// `text` as the expectations file `name` whose keys are relative to `dir`.
    pub fn parse(text: &str, name: &str, dir: PathBuf) -> Result<Expectations, String> {
        let syntax = |e: serde_json::Error| {
            // The line leads the message; serde_json's " at line L column C" tail would repeat it.
            let text = e.to_string();
            let text = text.rfind(" at line ").map_or(&text[..], |at| &text[..at]);
            format!("{name}:{}: {text}", e.line().max(1))
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(syntax)?;
        if !value.is_object() {
            return Err(format!(
                "{name}:1: expected a JSON object mapping test paths to expectations"
            ));
        }
        // Parsed again, borrowing, for the line of each value. Repeated keys
        // keep the last value, as serde_json's own map does.
        let document: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(syntax)?;
        let mut entries = BTreeMap::new();
        for (key, raw) in document {
            let line = line_of(text, raw.get());
            let wrong = |what: &str| format!("{name}:{line}: {key}: {what}");
            let expected = match serde_json::from_str::<serde_json::Value>(raw.get())
                .map_err(|e| wrong(&e.to_string()))?
            {
                serde_json::Value::Bool(true) => Expected::Pass,
                serde_json::Value::Bool(false) => Expected::FileFails,
                serde_json::Value::Array(items) => {
                    let mut names = BTreeSet::new();
                    for item in items {
                        match item {
                            serde_json::Value::String(s) => names.insert(s),
                            other => {
                                return Err(wrong(&format!(
                                    "{EXPECTED_SHAPE}, found {other} in the list"
                                )));
                            }
                        };
                    }
                    Expected::Subtests(names)
                }
                other => return Err(wrong(&format!("{EXPECTED_SHAPE}, found {other}"))),
            };
            if key.is_empty() || key.starts_with('/') || key.contains('\\') {
                return Err(wrong(
                    "a key is a test path relative to the expectations file's directory, with /",
                ));
            }
            entries.insert(key, Entry { line, expected });
        }
        Ok(Expectations {
            name: name.to_owned(),
            dir,
            entries,
        })
    }

    /// The key a test file has here: its path relative to the file's
    /// directory, or `None` when it is not below it (then nothing matches).
    pub fn key_of(&self, test: &Path) -> Option<String> {
        if self.entries.is_empty() {
            return None;
        }
        let test = std::fs::canonicalize(test).ok()?;
        let below = test.strip_prefix(&self.dir).ok()?;
        let parts: Vec<String> = below
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// What the run of test `key` (from [`key_of`](Self::key_of)) with
    /// `variant` is expected to do: its `key?variant` entry, else its
    /// `key` entry, else pass.
    pub fn expected(&self, key: Option<&str>, variant: &str) -> Expected {
        let Some(key) = key else {
            return Expected::Pass;
        };
        let with_variant = format!("{key}{variant}");
        self.entries
            .get(&with_variant)
            .or_else(|| self.entries.get(key))
            .map_or(Expected::Pass, |e| e.expected.clone())
    }

    /// `file:line: key` of the entry that decides run (`key`, `variant`),
    /// for messages about it.
    pub fn locate(&self, key: Option<&str>, variant: &str) -> Option<String> {
        let key = key?;
        let with_variant = format!("{key}{variant}");
        [with_variant.as_str(), key].into_iter().find_map(|k| {
            let entry = self.entries.get(k)?;
            Some(format!("{}:{}: {k}", self.name, entry.line))
        })
    }

    /// Warnings for stale keys: the file does not exist, or it was run and
    /// has no such variant. `runs` holds (key, variant) of every run. A key
    /// whose file exists but was not run (a narrower PATH, `--filter`) is
    /// not stale.
    pub fn stale(&self, runs: &[(String, String)]) -> Vec<String> {
        let mut warnings = Vec::new();
        for (key, entry) in &self.entries {
            let (path, variant) = match key.find(['?', '#']) {
                Some(at) => key.split_at(at),
                None => (key.as_str(), ""),
            };
            let exists = self.dir.join(path).is_file();
            let ran_file = runs.iter().any(|(k, _)| k == path);
            let ran = runs.iter().any(|(k, v)| k == path && v == variant);
            let why = if !exists {
                "no such test file"
            } else if ran_file && !variant.is_empty() && !ran {
                "the test has no such variant"
            } else {
                continue;
            };
            warnings.push(format!(
                "{}:{}: {key}: stale expectation: {why}",
                self.name, entry.line
            ));
        }
        warnings
    }
}

/// The line of `inner`, a slice of `text`.
fn line_of(text: &str, inner: &str) -> usize {
    let offset = (inner.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Expectations, String> {
        Expectations::parse(text, "exp.json", PathBuf::from("/nonexistent"))
    }

    #[test]
    fn reads_all_three_shapes() {
        let exp = parse(
            r#"{
  "ws/a.any.js": true,
  "ws/b.any.js": false,
  "ws/c.any.js": ["one", "two"],
  "ws/c.any.js?wss": false
}"#,
        )
        .unwrap();
        let subtests =
            |names: &[&str]| Expected::Subtests(names.iter().map(|n| n.to_string()).collect());
        assert_eq!(exp.expected(Some("ws/a.any.js"), ""), Expected::Pass);
        assert_eq!(exp.expected(Some("ws/b.any.js"), "?x"), Expected::FileFails);
        assert_eq!(
            exp.expected(Some("ws/c.any.js"), ""),
            subtests(&["one", "two"])
        );
        assert_eq!(
            exp.expected(Some("ws/c.any.js"), "?wss"),
            Expected::FileFails
        );
        assert_eq!(
            exp.expected(Some("ws/c.any.js"), "?other"),
            subtests(&["one", "two"])
        );
        assert_eq!(exp.expected(Some("ws/unlisted.any.js"), ""), Expected::Pass);
        assert_eq!(exp.expected(None, ""), Expected::Pass);
        assert_eq!(exp.entries["ws/c.any.js?wss"].line, 5);
        assert_eq!(
            exp.locate(Some("ws/c.any.js"), "?wss").as_deref(),
            Some("exp.json:5: ws/c.any.js?wss")
        );
        assert_eq!(
            exp.locate(Some("ws/c.any.js"), "?x").as_deref(),
            Some("exp.json:4: ws/c.any.js")
        );
        assert_eq!(exp.locate(Some("ws/unlisted.any.js"), ""), None);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let err = |text: &str| parse(text).unwrap_err();
        assert_eq!(
            err("{\n  \"a.any.js\": true,\n  \"b.any.js\": 3\n}"),
            "exp.json:3: b.any.js: expected true, false or a list of subtest names, found 3"
        );
        assert_eq!(
            err("{\"a.any.js\":\n  [\"x\", 1]}"),
            "exp.json:2: a.any.js: expected true, false or a list of subtest names, \
             found 1 in the list"
        );
        assert_eq!(
            err("{\"a.any.js\": \"yes\"}"),
            "exp.json:1: a.any.js: expected true, false or a list of subtest names, found \"yes\""
        );
        assert_eq!(
            err("{\n\"a\": true,,\n}"),
            "exp.json:2: key must be a string"
        );
        assert!(err("[true]").starts_with("exp.json:1: expected a JSON object"));
        assert!(err("{\"/abs.any.js\": true}").contains("relative"));
    }

    #[test]
    fn stale_keys_warn() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("ws")).unwrap();
        for f in ["ws/a.any.js", "ws/b.any.js"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let exp = Expectations::parse(
            "{\"ws/a.any.js\": false,\n\"ws/a.any.js?gone\": false,\n\
             \"ws/b.any.js?x\": false,\n\"ws/gone.any.js\": false}",
            "exp.json",
            dir.path().to_path_buf(),
        )
        .unwrap();
        // b was not run (a narrower PATH): its keys are not stale.
        let runs = [("ws/a.any.js".to_owned(), "?here".to_owned())];
        assert_eq!(
            exp.stale(&runs),
            [
                "exp.json:2: ws/a.any.js?gone: stale expectation: the test has no such variant",
                "exp.json:4: ws/gone.any.js: stale expectation: no such test file",
            ]
        );
    }

    #[test]
    fn keys_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let dir = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(dir.join("ws/sub")).unwrap();
        std::fs::write(dir.join("ws/sub/a.any.js"), "").unwrap();
        std::fs::write(dir.join("exp.json"), "{\"ws/sub/a.any.js\": false}").unwrap();
        let exp = Expectations::load(&dir.join("exp.json"), &dir).unwrap();
        let key = exp.key_of(&dir.join("ws/sub/../sub/a.any.js"));
        assert_eq!(key.as_deref(), Some("ws/sub/a.any.js"));
        assert_eq!(exp.expected(key.as_deref(), ""), Expected::FileFails);
        let missing = Expectations::load(&dir.join("nope.json"), &dir).unwrap_err();
        assert_eq!(missing, "nope.json: No such file or directory");
    }
}
