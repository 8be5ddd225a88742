//! Compatibility errors and warnings that say where the offending value was
//! written. The compat layer's messages are the production runtime's, word
//! for word; this layer only adds a `file:line: key: ` prefix in front, so
//! the production text is always the tail and can be searched for as is.

use std::fmt;

/// A place in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user would write it (as in [`ConfigError`](super::ConfigError)).
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// `compatibility_date` or `compatibility_flags`.
    pub key: &'static str,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.key)
    }
}

/// An error or warning from resolving [`Settings`](super::Settings), with the
/// place in the config file it is about.
///
/// `location` is `None` when the value came from the command line (the user
/// has just typed it, and the production message names it) or when there is
/// no value to point at (no compatibility date given anywhere).
///
/// Display includes `message`'s text, so `message` is deliberately not
/// reported as a `source()`: error reporters that walk the chain would
/// print it twice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
pub struct Located<T> {
    pub location: Option<Location>,
    pub message: T,
}
