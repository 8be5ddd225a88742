//! Resolution: a compatibility date plus a list of flag names gives, for each
//! registered flag, on or off and why.

use std::collections::HashSet;
use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::date::CompatDate;
use super::error::{CompatError, CompatWarning};
use super::registry::{FlagDef, Registry};

/// Why a flag ended up on or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// On because the compatibility date is on or after the flag's date.
    Date { since: CompatDate },
    /// On because its enable name was given before its default date.
    EnableFlag,
    /// Off because its disable name was given.
    DisableFlag { name: String },
    /// Off: the date is before the flag's date (or it has none) and no name was given.
    DefaultOff { from: Option<CompatDate> },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Date { since } => write!(f, "date (default since {since})"),
            Reason::EnableFlag => f.write_str("enable flag"),
            Reason::DisableFlag { name } => write!(f, "disable flag {name}"),
            Reason::DefaultOff { from: Some(from) } => {
                write!(f, "default-off (default from {from})")
            }
            Reason::DefaultOff { from: None } => f.write_str("default-off (no default date)"),
        }
    }
}

/// The outcome for one flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFlag {
    /// The flag's enable name.
    pub name: String,
    pub enabled: bool,
    pub reason: Reason,
}

/// Every registered flag, on or off, in registry order. Owned and cheap to
/// clone so it can travel with a worker to whichever thread runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFlags {
    flags: Vec<ResolvedFlag>,
}

impl ResolvedFlags {
    /// Whether the flag with this enable name is on.
    ///
    /// Panics if `name` is not a registered enable name: asking about a flag
    /// that does not exist is a typo in hearth's own code, and silently
    /// answering `false` would hide it.
    pub fn is_enabled(&self, name: &str) -> bool {
        self.get(name).unwrap_or_else(|| {
            panic!("hearth bug: compatibility flag {name:?} is not in compat-flags.toml")
        })
    }

    /// Whether the flag with this enable name is on; `None` if there is no such flag.
    pub fn get(&self, name: &str) -> Option<bool> {
        self.flags
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.enabled)
    }

    /// All flags in registry order.
    pub fn iter(&self) -> impl Iterator<Item = &ResolvedFlag> {
        self.flags.iter()
    }

    /// `{"<enable name>": true|false, ...}` in registry order: the value a
    /// worker sees as `Cloudflare.compatibilityFlags`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a map of strings to booleans always serializes")
    }

    /// Like [`to_json`](Self::to_json), indented for people.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a map of strings to booleans always serializes")
    }
}

impl<'a> IntoIterator for &'a ResolvedFlags {
    type Item = &'a ResolvedFlag;
    type IntoIter = std::slice::Iter<'a, ResolvedFlag>;

    fn into_iter(self) -> Self::IntoIter {
        self.flags.iter()
    }
}

// Serialized by hand, not through serde_json::Map, so the keys keep registry
// order (serde_json's map sorts keys unless its `preserve_order` feature is on).
impl Serialize for ResolvedFlags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.flags.len()))?;
        for flag in &self.flags {
            map.serialize_entry(&flag.name, &flag.enabled)?;
        }
        map.end()
    }
}

/// The result of [`Registry::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The effective compatibility date (the newest supported one if none was given).
    pub date: CompatDate,
    pub flags: ResolvedFlags,
    /// Accepted, but worth telling the user; print each with a `warning:` prefix.
    pub warnings: Vec<CompatWarning>,
}

/// What the user's list of names says about one flag: the index in that list
/// of its enable and disable name, if given, so errors can say which entry.
#[derive(Default)]
struct Requested {
    enable: Option<usize>,
    disable: Option<usize>,
}

impl Registry {
    /// Resolves a compatibility date (`None`: not given) and flag names.
    ///
    /// Checks run in this order and the first failure is returned: the date,
    /// then each name in the order given (repeated, unknown, experimental
    /// without `experimental`), then contradictions in registry order.
    pub fn resolve(
        &self,
        date: Option<&str>,
        flags: &[String],
        experimental: bool,
    ) -> Result<Resolution, CompatError> {
        let newest = self.newest_supported_date();
        let mut warnings = Vec::new();
        let date = match date {
            None => {
                warnings.push(CompatWarning::NoDate { newest });
                newest
            }
            Some(text) => {
                let parsed: CompatDate = text.parse().map_err(|_| CompatError::InvalidDate {
                    value: text.to_owned(),
                    newest,
                })?;
                if parsed > newest {
                    return Err(CompatError::DateTooNew {
                        value: parsed,
                        newest,
                    });
                }
                parsed
            }
        };

        let mut requested: Vec<Requested> =
            self.flags().iter().map(|_| Requested::default()).collect();
        let mut seen = HashSet::new();
        for (index, name) in flags.iter().enumerate() {
            if !seen.insert(name.as_str()) {
                return Err(CompatError::DuplicateFlag {
                    name: name.clone(),
                    index,
                });
            }
            let (flag, def, is_enable) =
                self.lookup(name).ok_or_else(|| CompatError::UnknownFlag {
                    name: name.clone(),
                    index,
                })?;
            if is_enable {
                if def.experimental && !experimental {
                    return Err(CompatError::ExperimentalNotAllowed {
                        name: name.clone(),
                        index,
                    });
                }
                requested[flag].enable = Some(index);
            } else {
                requested[flag].disable = Some(index);
            }
        }

        let mut resolved = Vec::with_capacity(self.flags().len());
        for (def, req) in self.flags().iter().zip(&requested) {
            let by_date = def.default_on.filter(|since| date >= *since);
            let (enabled, reason) = match (req.enable, req.disable, by_date) {
                (Some(enable), Some(disable), _) => {
                    return Err(CompatError::Contradictory {
                        enable: def.enable.clone(),
                        disable: def.disable.clone().unwrap_or_default(),
                        index: enable.max(disable),
                    });
                }
                (Some(index), None, Some(since)) => {
                    warnings.push(CompatWarning::RedundantFlag {
                        name: def.enable.clone(),
                        date: since,
                        index,
                    });
                    (true, Reason::Date { since })
                }
                (Some(_), None, None) => (true, Reason::EnableFlag),
                (None, Some(_), _) => {
                    let name = def
                        .disable
                        .clone()
                        .expect("only flags with a disable name match one");
                    (false, Reason::DisableFlag { name })
                }
                (None, None, Some(since)) => (true, Reason::Date { since }),
                (None, None, None) => (
                    false,
                    Reason::DefaultOff {
                        from: def.default_on,
                    },
                ),
            };
            resolved.push(ResolvedFlag {
                name: def.enable.clone(),
                enabled,
                reason,
            });
        }
        Ok(Resolution {
            date,
            flags: ResolvedFlags { flags: resolved },
            warnings,
        })
    }

    /// The flags a worker gets from `date` alone, with no names given. Handy
    /// for layers (and their tests) that only need a date's defaults.
    pub fn flags_at(&self, date: CompatDate) -> ResolvedFlags {
        self.resolve(Some(&date.to_string()), &[], false)
            .map(|r| r.flags)
            .unwrap_or_else(|e| panic!("flags_at({date}): {e}"))
    }

    /// Finds which flag a name belongs to and whether it is the enable name.
    fn lookup(&self, name: &str) -> Option<(usize, &FlagDef, bool)> {
        self.flags().iter().enumerate().find_map(|(i, def)| {
            if def.enable == name {
                Some((i, def, true))
            } else if def.disable.as_deref() == Some(name) {
                Some((i, def, false))
            } else {
                None
            }
        })
    }
}
