//! The keys hearth reads from a wrangler config, checked while the file is
//! parsed.
//!
//! Checking inside serde visitors (rather than deserializing into a generic
//! value first) is what lets every error carry a position: both toml and
//! serde_json attach the location of the value being visited to an error
//! raised there. The key that failed travels beside the error in a
//! [`KeySlot`], because serde errors are plain strings.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::lines::ValueLines;

/// The key toml uses to smuggle a date-time through serde's data model.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

/// The settings a config file provides. Absent keys are `None`/empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileConfig {
    pub compatibility_date: Option<String>,
    pub compatibility_flags: Option<Vec<String>>,
    pub main: Option<String>,
    pub vars: BTreeMap<String, serde_json::Value>,
    /// Where the compatibility values were written, for errors about them.
    pub lines: ValueLines,
}

/// Which syntax the file is in; only changes how value types are named in
/// messages, so users read the words their format uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Toml,
    Json,
}

impl Dialect {
    fn map(self) -> &'static str {
        match self {
            Dialect::Toml => "table",
            Dialect::Json => "object",
        }
    }

    /// The map type with its article, for "expected ..." phrases.
    fn a_map(self) -> &'static str {
        match self {
            Dialect::Toml => "a table",
            Dialect::Json => "an object",
        }
    }

    fn integer(self) -> &'static str {
        match self {
            Dialect::Toml => "integer",
            Dialect::Json => "number",
        }
    }

    fn float(self) -> &'static str {
        match self {
            Dialect::Toml => "float",
            Dialect::Json => "number",
        }
    }
}

/// Records the innermost key whose value was rejected.
#[derive(Debug, Default)]
pub struct KeySlot(RefCell<Option<String>>);

impl KeySlot {
    fn record(&self, key: &str) {
        let mut slot = self.0.borrow_mut();
        // Inner values fail first; keep their more precise key (e.g.
        // `compatibility_flags[1]` rather than `compatibility_flags`).
        if slot.is_none() {
            *slot = Some(key.to_owned());
        }
    }

    pub fn take(&self) -> Option<String> {
        self.0.borrow_mut().take()
    }
}

/// What a key's value must be.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// The whole document.
    Document,
    String,
    StringArray,
    /// `vars`: a table/object whose values are anything JSON can hold.
    Vars,
    /// Any value, converted to JSON (the value of one var).
    Json,
}

/// What a successful visit produced; the variant always matches the `Expect`.
enum Parsed {
    Document(FileConfig),
    String(String),
    StringArray(Vec<String>),
    Vars(BTreeMap<String, serde_json::Value>),
    Json(serde_json::Value),
}

/// Deserializes one value of the expected shape, recording `key` on failure.
pub struct Seed<'a> {
    expect: Expect,
    key: String,
    dialect: Dialect,
    slot: &'a KeySlot,
}

impl<'a> Seed<'a> {
    /// The seed for a whole config document.
    pub fn document(dialect: Dialect, slot: &'a KeySlot) -> Self {
        Seed {
            expect: Expect::Document,
            key: String::new(),
            dialect,
            slot,
        }
    }

    fn child(&self, expect: Expect, key: String) -> Seed<'a> {
        Seed {
            expect,
            key,
            dialect: self.dialect,
            slot: self.slot,
        }
    }

    fn describe_expected(&self) -> String {
        match self.expect {
            Expect::Document => format!("{} of settings", self.dialect.a_map()),
            Expect::String => "a string".into(),
            Expect::StringArray => "an array of strings".into(),
            Expect::Vars => format!("{} of variables", self.dialect.a_map()),
            Expect::Json => "a value".into(),
        }
    }

    fn mismatch<E: de::Error>(&self, found: &str) -> E {
        self.fail(format!(
            "expected {}, found {found}",
            self.describe_expected()
        ))
    }

    fn fail<E: de::Error>(&self, message: String) -> E {
        if !self.key.is_empty() {
            self.slot.record(&self.key);
        }
        E::custom(message)
    }

    fn accept_json<E: de::Error>(
        &self,
        found: &str,
        value: serde_json::Value,
    ) -> Result<Parsed, E> {
        match self.expect {
            Expect::Json => Ok(Parsed::Json(value)),
            _ => Err(self.mismatch(found)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = FileConfig;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<FileConfig, D::Error> {
        match deserializer.deserialize_any(ValueVisitor(self))? {
            Parsed::Document(config) => Ok(config),
            _ => unreachable!("a document seed only produces a document"),
        }
    }
}

/// A seed for values inside the document; `Seed` itself is the entry point.
struct Inner<'a>(Seed<'a>);

impl<'de> DeserializeSeed<'de> for Inner<'_> {
    type Value = Parsed;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Parsed, D::Error> {
        deserializer.deserialize_any(ValueVisitor(self.0))
    }
}

struct ValueVisitor<'a>(Seed<'a>);

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.describe_expected())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Parsed, E> {
        self.0.accept_json("boolean", v.into())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Parsed, E> {
        self.0.accept_json(self.0.dialect.integer(), v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Parsed, E> {
        self.0.accept_json(self.0.dialect.integer(), v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Parsed, E> {
        let found = self.0.dialect.float();
        match serde_json::Number::from_f64(v) {
            Some(n) => self.0.accept_json(found, n.into()),
            // TOML allows nan and inf; JSON (and so a worker's env) cannot hold them.
            None if matches!(self.0.expect, Expect::Json) => {
                Err(self.0.fail(format!("{v} cannot be represented in JSON")))
            }
            None => Err(self.0.mismatch(found)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Parsed, E> {
        match self.0.expect {
            Expect::String => Ok(Parsed::String(v.to_owned())),
            _ => self.0.accept_json("string", v.into()),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Parsed, E> {
        self.0.accept_json("null", serde_json::Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Parsed, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        let element = match self.0.expect {
            Expect::StringArray => Expect::String,
            Expect::Json => Expect::Json,
            _ => return Err(self.0.mismatch("array")),
        };
        let mut items = Vec::new();
        loop {
            let key = format!("{}[{}]", self.0.key, items.len());
            match seq.next_element_seed(Inner(self.0.child(element, key)))? {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(match self.0.expect {
            Expect::StringArray => Parsed::StringArray(
                items
                    .into_iter()
                    .map(|p| match p {
                        Parsed::String(s) => s,
                        _ => unreachable!("string seeds produce strings"),
                    })
                    .collect(),
            ),
            _ => Parsed::Json(items.into_iter().map(into_json).collect()),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let seed = self.0;
        // JSON has no date-time type, so only TOML needs the first key peeked
        // to tell a date-time from a table.
        let accepts_map = matches!(seed.expect, Expect::Document | Expect::Vars | Expect::Json);
        if seed.dialect == Dialect::Json && !accepts_map {
            return Err(seed.mismatch(seed.dialect.map()));
        }
        let Some(first) = map.next_key::<String>()? else {
            return finish_map(seed, Vec::new());
        };
        if first == TOML_DATETIME_KEY {
            let text: String = map.next_value()?;
            return match seed.expect {
                Expect::Json => Ok(Parsed::Json(text.into())),
                Expect::String => Err(seed.fail(format!(
                    "expected a string, found date-time {text} (quote it: \"{text}\")"
                ))),
                _ => Err(seed.mismatch("date-time")),
            };
        }
        if !accepts_map {
            return Err(seed.mismatch(seed.dialect.map()));
        }
        let mut entries = Vec::new();
        let mut next = Some(first);
        while let Some(key) = next {
            let expect = match (seed.expect, key.as_str()) {
                (Expect::Document, "compatibility_date" | "main") => Some(Expect::String),
                (Expect::Document, "compatibility_flags") => Some(Expect::StringArray),
                (Expect::Document, "vars") => Some(Expect::Vars),
                // Other wrangler keys (name, routes, env, ...) configure things
                // hearth does not do; they are accepted and left alone.
                (Expect::Document, _) => None,
                (Expect::Vars, _) | (Expect::Json, _) => Some(Expect::Json),
                _ => unreachable!("only map-accepting shapes get here"),
            };
            match expect {
                Some(expect) => {
                    let path = match seed.expect {
                        Expect::Document => key.clone(),
                        _ => format!("{}.{key}", seed.key),
                    };
                    let value = map.next_value_seed(Inner(seed.child(expect, path)))?;
                    entries.push((key, value));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            next = map.next_key::<String>()?;
        }
        finish_map(seed, entries)
    }
}

/// Builds the result for a visited table/object from its checked entries.
fn finish_map<E: de::Error>(seed: Seed<'_>, entries: Vec<(String, Parsed)>) -> Result<Parsed, E> {
    match seed.expect {
        Expect::Document => {
            let mut config = FileConfig::default();
            for (key, value) in entries {
                match (key.as_str(), value) {
                    ("compatibility_date", Parsed::String(s)) => {
                        config.compatibility_date = Some(s)
                    }
                    ("main", Parsed::String(s)) => config.main = Some(s),
                    ("compatibility_flags", Parsed::StringArray(v)) => {
                        config.compatibility_flags = Some(v)
                    }
                    ("vars", Parsed::Vars(v)) => config.vars = v,
                    _ => unreachable!("keys are matched to shapes in visit_map"),
                }
            }
            Ok(Parsed::Document(config))
        }
        Expect::Vars => Ok(Parsed::Vars(
            entries
                .into_iter()
                .map(|(k, v)| (k, into_json(v)))
                .collect(),
        )),
        Expect::Json => Ok(Parsed::Json(serde_json::Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k, into_json(v)))
                .collect(),
        ))),
        _ => Err(seed.mismatch(seed.dialect.map())),
    }
}

fn into_json(parsed: Parsed) -> serde_json::Value {
    match parsed {
        Parsed::Json(value) => value,
        _ => unreachable!("JSON seeds produce JSON"),
    }
}
