//! Reading one config file (`wrangler.toml`, `wrangler.json`,
//! `wrangler.jsonc`) into a [`FileConfig`], with errors that name the file,
//! line and key.

use std::path::Path;

use serde::de::DeserializeSeed;

use super::error::ConfigError;
use super::jsonc;
use super::lines::{self, LocateError, line_of_offset};
use super::schema::{Dialect, FileConfig, KeySlot, Seed};

/// The syntax of a config file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    /// `.json` and `.jsonc` alike: wrangler reads both with a JSONC parser,
    /// so comments and trailing commas are accepted in either.
    Jsonc,
}

impl Format {
    /// `.json`/`.jsonc` are JSONC; anything else is TOML, as in wrangler.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some("json" | "jsonc") => Format::Jsonc,
            _ => Format::Toml,
        }
    }
}

/// Parses config text. `file` is how the file is named in errors.
pub fn parse(text: &str, format: Format, file: &str) -> Result<FileConfig, ConfigError> {
    // Editors on Windows may save a byte-order mark; neither parser accepts
    // one, and it carries no meaning here. Line numbers are unaffected.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Toml => parse_toml(text, file),
        Format::Jsonc => parse_jsonc(text, file),
    }
}

fn invalid(
    file: &str,
    line: usize,
    key: Option<String>,
    message: impl Into<String>,
) -> ConfigError {
    ConfigError::Invalid {
        file: file.to_owned(),
        line,
        key,
        message: message.into(),
    }
}

fn parse_toml(text: &str, file: &str) -> Result<FileConfig, ConfigError> {
    let slot = KeySlot::default();
    let to_config_error = |e: toml::de::Error| {
        let line = e.span().map_or(1, |span| line_of_offset(text, span.start));
        invalid(file, line, slot.take(), e.message())
    };
    let deserializer = toml::de::Deserializer::parse(text).map_err(to_config_error)?;
    let mut config = Seed::document(Dialect::Toml, &slot)
        .deserialize(deserializer)
        .map_err(to_config_error)?;
    config.lines = lines::in_toml(text).map_err(|e| locate_failed(file, e))?;
    Ok(config)
}

fn locate_failed(file: &str, e: LocateError) -> ConfigError {
    invalid(file, e.line, None, e.message)
}

fn parse_jsonc(text: &str, file: &str) -> Result<FileConfig, ConfigError> {
    let json =
        jsonc::to_json(text).map_err(|e| invalid(file, e.line, None, "unterminated /* comment"))?;
    let slot = KeySlot::default();
    let mut deserializer = serde_json::Deserializer::from_str(&json);
    let mut config = Seed::document(Dialect::Json, &slot)
        .deserialize(&mut deserializer)
        .and_then(|config| deserializer.end().map(|()| config))
        .map_err(|e| {
            // serde_json only offers the message with " at line L column C"
            // appended; the location is reported in our own format instead.
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full);
            invalid(file, e.line().max(1), slot.take(), message)
        })?;
    config.lines = lines::in_json(&json).map_err(|e| locate_failed(file, e))?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, format: Format) -> String {
        parse(text, format, "f").unwrap_err().to_string()
    }

    #[test]
    fn type_errors_name_line_and_key() {
        let cases: &[(&str, Format, &str)] = &[
            (
                "a = 1\n\ncompatibility_flags = 3\n",
                Format::Toml,
                "f:3: compatibility_flags: expected an array of strings, found integer",
            ),
            (
                "compatibility_flags = [\n  \"a\",\n  2.5,\n]\n",
                Format::Toml,
                "f:3: compatibility_flags[1]: expected a string, found float",
            ),
            (
                "compatibility_date = 2026-04-07\n",
                Format::Toml,
                "f:1: compatibility_date: expected a string, found date-time 2026-04-07 (quote it: \"2026-04-07\")",
            ),
            (
                "main = { a = 1 }\n",
                Format::Toml,
                "f:1: main: expected a string, found table",
            ),
            (
                "main = {}\n",
                Format::Toml,
                "f:1: main: expected a string, found table",
            ),
            (
                "vars = [1]\n",
                Format::Toml,
                "f:1: vars: expected a table of variables, found array",
            ),
            (
                "[vars]\nX = nan\n",
                Format::Toml,
                "f:2: vars.X: NaN cannot be represented in JSON",
            ),
            (
                "{\n \"main\": true\n}",
                Format::Jsonc,
                "f:2: main: expected a string, found boolean",
            ),
            (
                "{\n \"main\": {\"a\": 1}\n}",
                Format::Jsonc,
                "f:2: main: expected a string, found object",
            ),
            (
                "{\"compatibility_flags\": [\n\"a\",\nnull]}",
                Format::Jsonc,
                "f:3: compatibility_flags[1]: expected a string, found null",
            ),
            (
                "[]",
                Format::Jsonc,
                "f:1: expected an object of settings, found array",
            ),
        ];
        for (text, format, expected) in cases {
            assert_eq!(err(text, *format), *expected, "{text:?}");
        }
    }

    #[test]
    fn syntax_errors_name_line() {
        assert_eq!(
            err("a = 1\nb = \n", Format::Toml)
                .split(':')
                .take(2)
                .collect::<Vec<_>>(),
            ["f", "2"]
        );
        assert_eq!(
            err("{\n\"a\": 1\n\"b\": 2}", Format::Jsonc),
            "f:3: expected `,` or `}`"
        );
        assert_eq!(
            err("{\n/* open", Format::Jsonc),
            "f:2: unterminated /* comment"
        );
        assert_eq!(err("{} x", Format::Jsonc), "f:1: trailing characters");
    }

    #[test]
    fn ignores_byte_order_mark() {
        for format in [Format::Toml, Format::Jsonc] {
            let text = match format {
                Format::Toml => "\u{feff}main = \"a.js\"\n",
                Format::Jsonc => "\u{feff}{\"main\": \"a.js\"}",
            };
            assert_eq!(
                parse(text, format, "f").unwrap().main.as_deref(),
                Some("a.js")
            );
        }
    }

    #[test]
    fn reads_all_keys() {
        let toml = "main = \"src/index.js\"\ncompatibility_date = \"2026-04-07\"\n\
                    compatibility_flags = [\"a\"]\nname = \"ignored\"\n\
                    [vars]\nS = \"text\"\nN = 3\nT = { k = [true] }\nD = 2026-01-02\n";
        let c = parse(toml, Format::Toml, "f").unwrap();
        assert_eq!(c.main.as_deref(), Some("src/index.js"));
        assert_eq!(c.compatibility_date.as_deref(), Some("2026-04-07"));
        assert_eq!(c.compatibility_flags, Some(vec!["a".to_string()]));
        let vars = serde_json::to_value(&c.vars).unwrap();
        assert_eq!(
            vars,
            serde_json::json!({"S": "text", "N": 3, "T": {"k": [true]}, "D": "2026-01-02"})
        );
    }
}
