//! The flag registry: `compat-flags.toml`, embedded in the binary and
//! validated by a unit test, so a broken registry fails `cargo test`.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::date::CompatDate;

/// The registry source, embedded so the binary never depends on files at run time.
const BUILTIN_SOURCE: &str = include_str!("../../compat-flags.toml");

/// One compatibility flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagDef {
    /// The name that turns the behaviour on; also the flag's identity (the
    /// key in `to_json()` and `Cloudflare.compatibilityFlags`).
    pub enable: String,
    /// The name that turns the behaviour off, if the flag has one.
    pub disable: Option<String>,
    /// From this compatibility date on, the flag is on by default.
    pub default_on: Option<CompatDate>,
    /// Experimental flags are refused unless `--experimental` is given.
    pub experimental: bool,
    /// One line: what changes when the flag is on.
    pub description: String,
}

/// All known flags, in report order, and the newest supported date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    newest_supported_date: CompatDate,
    flags: Vec<FlagDef>,
}

/// A registry file that cannot be used. Only developers see these: the
/// builtin registry is checked by a unit test.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("compat-flags.toml: {0}")]
    Toml(String),
    #[error("compat-flags.toml: {field} {value:?} is not a valid date: {reason}")]
    BadDate {
        field: String,
        value: String,
        reason: String,
    },
    #[error(
        "compat-flags.toml: flag name {0:?} must be non-empty lowercase ASCII letters, digits and '_'"
    )]
    BadName(String),
    #[error("compat-flags.toml: flag name {0:?} is defined more than once")]
    DuplicateName(String),
    #[error(
        "compat-flags.toml: flag {name} becomes default on {date}, after the newest supported date {newest}"
    )]
    DateAfterNewest {
        name: String,
        date: CompatDate,
        newest: CompatDate,
    },
    #[error("compat-flags.toml: experimental flag {0} must not have a default_on date")]
    ExperimentalWithDate(String),
    #[error("compat-flags.toml: flag {0} needs a one-line, non-empty description")]
    BadDescription(String),
}

/// The on-disk shape of `compat-flags.toml`; converted to [`Registry`] after
/// validation so the rest of the code never sees unchecked strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    newest_supported_date: String,
    #[serde(default, rename = "flag")]
    flags: Vec<RawFlag>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlag {
    enable: String,
    disable: Option<String>,
    default_on: Option<String>,
    #[serde(default)]
    experimental: bool,
    description: String,
}

fn parse_date(field: String, value: &str) -> Result<CompatDate, RegistryError> {
    value
        .parse()
        .map_err(|e: super::date::DateParseError| RegistryError::BadDate {
            field,
            value: value.to_owned(),
            reason: e.to_string(),
        })
}

fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Registry {
    /// The registry compiled into this binary.
    ///
    /// Panics if `compat-flags.toml` is invalid; the unit test
    /// `builtin_registry_is_valid` makes sure that never ships.
    pub fn builtin() -> &'static Registry {
        static BUILTIN: OnceLock<Registry> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Registry::from_toml_str(BUILTIN_SOURCE)
                .unwrap_or_else(|e| panic!("invalid builtin registry: {e}"))
        })
    }

    /// Parses and validates a registry in the `compat-flags.toml` format.
    pub fn from_toml_str(source: &str) -> Result<Registry, RegistryError> {
        let raw: RawRegistry =
            toml::from_str(source).map_err(|e| RegistryError::Toml(e.to_string()))?;
        let newest = parse_date("newest_supported_date".into(), &raw.newest_supported_date)?;

        let mut seen = HashSet::new();
        let mut flags = Vec::with_capacity(raw.flags.len());
        for raw_flag in raw.flags {
            for name in std::iter::once(&raw_flag.enable).chain(raw_flag.disable.as_ref()) {
                if !is_valid_name(name) {
                    return Err(RegistryError::BadName(name.clone()));
                }
                // Enable and disable names share one namespace: a name must
                // mean exactly one thing when a user writes it.
                if !seen.insert(name.clone()) {
                    return Err(RegistryError::DuplicateName(name.clone()));
                }
            }
            let default_on = match &raw_flag.default_on {
                Some(text) => {
                    let date = parse_date(format!("default_on of {}", raw_flag.enable), text)?;
                    if date > newest {
                        return Err(RegistryError::DateAfterNewest {
                            name: raw_flag.enable,
                            date,
                            newest,
                        });
                    }
                    if raw_flag.experimental {
                        return Err(RegistryError::ExperimentalWithDate(raw_flag.enable));
                    }
                    Some(date)
                }
                None => None,
            };
            let description = raw_flag.description.trim();
            if description.is_empty() || description.contains('\n') {
                return Err(RegistryError::BadDescription(raw_flag.enable));
            }
            flags.push(FlagDef {
                description: description.to_owned(),
                enable: raw_flag.enable,
                disable: raw_flag.disable,
                default_on,
                experimental: raw_flag.experimental,
            });
        }
        Ok(Registry {
            newest_supported_date: newest,
            flags,
        })
    }

    /// The newest compatibility date this registry (and so this build) supports.
    pub fn newest_supported_date(&self) -> CompatDate {
        self.newest_supported_date
    }

    /// All flags, in registry (report) order.
    pub fn flags(&self) -> &[FlagDef] {
        &self.flags
    }

    /// Looks a flag up by its enable name.
    pub fn flag(&self, enable: &str) -> Option<&FlagDef> {
        self.flags.iter().find(|f| f.enable == enable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_registry_is_valid() {
        let registry = Registry::from_toml_str(BUILTIN_SOURCE).expect("compat-flags.toml");
        assert_eq!(registry.newest_supported_date().to_string(), "2026-11-17");
        let auto = registry.flag("web_socket_auto_reply_to_close").unwrap();
        assert_eq!(
            auto.disable.as_deref(),
            Some("web_socket_manual_reply_to_close")
        );
        assert_eq!(auto.default_on.unwrap().to_string(), "2026-04-07");
        assert!(!auto.experimental);
        assert!(
            registry
                .flag("increase_websocket_message_size")
                .unwrap()
                .experimental
        );
        assert_eq!(registry.flags().len(), 5);
    }

    fn check(body: &str) -> Result<Registry, RegistryError> {
        Registry::from_toml_str(&format!("newest_supported_date = \"2026-11-17\"\n{body}"))
    }

    #[test]
    fn rejects_broken_registries() {
        let flag = |enable: &str, rest: &str| {
            format!("[[flag]]\nenable = \"{enable}\"\ndescription = \"d\"\n{rest}\n")
        };
        let cases: Vec<(String, &str)> = vec![
            (flag("a", "") + &flag("a", ""), "defined more than once"),
            (
                flag("a", "disable = \"b\"") + &flag("b", ""),
                "\"b\" is defined more than once",
            ),
            (flag("a", "disable = \"a\""), "defined more than once"),
            (flag("Bad-Name", ""), "must be non-empty lowercase"),
            (
                flag("a", "default_on = \"2026-02-30\""),
                "is not a valid date",
            ),
            (
                flag("a", "default_on = \"2026-11-18\""),
                "after the newest supported date",
            ),
            (
                flag("a", "default_on = \"2020-01-01\"\nexperimental = true"),
                "must not have",
            ),
            (flag("a", "colour = \"red\""), "unknown field"),
            (
                "[[flag]]\nenable = \"a\"\ndescription = \"\"\n".into(),
                "one-line",
            ),
            (
                "[[flag]]\nenable = \"a\"\ndescription = \"x\\ny\"\n".into(),
                "one-line",
            ),
            ("[[flag]]\nenable = \"a\"\n".into(), "missing field"),
        ];
        for (body, expected) in cases {
            let err = check(&body).expect_err(&body).to_string();
            assert!(err.contains(expected), "{body}\n=> {err}");
        }
        let err = Registry::from_toml_str("newest_supported_date = \"soon\"").unwrap_err();
        assert!(
            err.to_string().contains("newest_supported_date \"soon\""),
            "{err}"
        );
    }
}
