//! The line each compatibility value was written on, so that errors about
//! the *value* (an unknown flag, a date in the future) can point at it the
//! way type errors do.
//!
//! This is a second, small parse of text the schema pass has already
//! accepted, asking only for positions. Threading positions through the
//! schema visitors instead would need a different trick per format inside
//! generic serde code (toml's `Spanned` protocol, serde_json's `RawValue`);
//! here each format uses its own public API in the plain way. Because the
//! schema pass already checked every shape, this pass cannot meet anything
//! it does not expect.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// Lines (1-based) of the compatibility values in one config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueLines {
    /// The line of `compatibility_date`'s value, if the key is present.
    pub compatibility_date: Option<usize>,
    /// The line of each entry of `compatibility_flags`, in order; as long as
    /// the list (empty if the key is absent).
    pub compatibility_flags: Vec<usize>,
}

/// A line-finding pass failed. Not expected after the schema pass succeeded;
/// carries what to report if it happens anyway.
#[derive(Debug)]
pub struct LocateError {
    pub line: usize,
    pub message: String,
}

pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The keys of interest with their spans; every other key is ignored.
#[derive(Deserialize)]
struct TomlValues {
    compatibility_date: Option<toml::Spanned<IgnoredAny>>,
    compatibility_flags: Option<Vec<toml::Spanned<IgnoredAny>>>,
}

pub fn in_toml(text: &str) -> Result<ValueLines, LocateError> {
    let values: TomlValues = toml::from_str(text).map_err(|e| LocateError {
        line: e.span().map_or(1, |span| line_of_offset(text, span.start)),
        message: e.message().to_owned(),
    })?;
    let line = |spanned: &toml::Spanned<IgnoredAny>| line_of_offset(text, spanned.span().start);
    Ok(ValueLines {
        compatibility_date: values.compatibility_date.as_ref().map(line),
        compatibility_flags: values
            .compatibility_flags
            .unwrap_or_default()
            .iter()
            .map(line)
            .collect(),
    })
}

/// `json` is the comment-free text from [`super::jsonc::to_json`], whose
/// offsets and line breaks are those of the user's file.
pub fn in_json(json: &str) -> Result<ValueLines, LocateError> {
    let failed = |e: serde_json::Error| LocateError {
        line: e.line().max(1),
        message: e.to_string(),
    };
    // A borrowed `RawValue` is a slice of `json` itself (whitespace before the
    // value skipped), so its address gives its offset. A map keeps the last
    // of repeated keys, as the schema pass does.
    let document: BTreeMap<String, &RawValue> = serde_json::from_str(json).map_err(failed)?;
    let line = |raw: &RawValue| line_of_offset(json, offset_in(json, raw.get()));
    let compatibility_flags = match document.get("compatibility_flags") {
        Some(list) => serde_json::from_str::<Vec<&RawValue>>(list.get())
            .map_err(failed)?
            .into_iter()
            .map(line)
            .collect(),
        None => Vec::new(),
    };
    Ok(ValueLines {
        compatibility_date: document.get("compatibility_date").copied().map(line),
        compatibility_flags,
    })
}

/// The byte offset of `inner` within `outer`; `inner` must be a subslice.
fn offset_in(outer: &str, inner: &str) -> usize {
    let offset = (inner.as_ptr() as usize).wrapping_sub(outer.as_ptr() as usize);
    assert!(
        offset <= outer.len() && offset + inner.len() <= outer.len(),
        "offset_in: not a subslice"
    );
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_toml_lines() {
        let text = "# c\ncompatibility_flags = [\n  \"a\", \"b\",\n\n  \"c\",\n]\n\
                    name = \"x\"\ncompatibility_date = \"2026-01-01\"\n[vars]\nA = 1\n";
        assert_eq!(
            in_toml(text).unwrap(),
            ValueLines {
                compatibility_date: Some(8),
                compatibility_flags: vec![3, 3, 5],
            }
        );
        assert_eq!(in_toml("[vars]\nA = 1\n").unwrap(), ValueLines::default());
    }

    #[test]
    fn finds_json_lines() {
        let json = "{\n  \"compatibility_date\":\n\n     \"2026-01-01\",\n\
                    \"compatibility_flags\": [\"a\",\n \"b\"],\n\"vars\": {\"compatibility_date\": 1}\n}";
        assert_eq!(
            in_json(json).unwrap(),
            ValueLines {
                compatibility_date: Some(4),
                compatibility_flags: vec![5, 6],
            }
        );
        // The last of repeated keys counts, as in the schema pass.
        assert_eq!(
            in_json("{\"compatibility_date\": \"a\",\n\"compatibility_date\": \"b\"}")
                .unwrap()
                .compatibility_date,
            Some(2)
        );
    }
}
