//! What resolution can refuse or warn about. The Display text is the exact
//! user-facing message; where the production runtime has a message for the
//! same situation, it is reproduced word for word so users see the same thing
//! in both places.

use super::date::CompatDate;

/// Which input to [`Registry::resolve`](super::Registry::resolve) an error or
/// warning is about. The compat layer never knows where its inputs were
/// written (command line, which file, which line); this lets the caller that
/// does point the user at the value to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The compatibility date.
    Date,
    /// The flag name at this index of the list given to `resolve`.
    Flag(usize),
}

/// A compatibility date or flag list that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompatError {
    /// Not a `YYYY-MM-DD` calendar date. The production message starts
    /// "Invalid compatibility date: <value>"; hearth adds what it expects.
    #[error(
        "Invalid compatibility date: {value} (expected a date written YYYY-MM-DD, \
         no later than {newest}, the newest date supported by this server binary)"
    )]
    InvalidDate { value: String, newest: CompatDate },

    /// A real date, but newer than this build knows about: running with it
    /// would silently miss behaviour the worker asked for.
    #[error(
        "This Worker requires compatibility date \"{value}\", but the newest date \
         supported by this server binary is \"{newest}\"."
    )]
    DateTooNew {
        value: CompatDate,
        newest: CompatDate,
    },

    /// `index` is the second occurrence: the one to delete.
    #[error("Compatibility flag specified multiple times: {name}")]
    DuplicateFlag { name: String, index: usize },

    #[error("No such compatibility flag: {name}")]
    UnknownFlag { name: String, index: usize },

    /// `index` is whichever of the two names comes later in the list: the
    /// point at which the list stopped making sense.
    #[error("Compatibility flags are mutually contradictory: {enable} vs {disable}")]
    Contradictory {
        enable: String,
        disable: String,
        index: usize,
    },

    #[error(
        "The compatibility flag {name} is experimental and may break or be removed in a \
         future version of hearth. To use this flag, you must pass --experimental on \
         the command line."
    )]
    ExperimentalNotAllowed { name: String, index: usize },
}

impl CompatError {
    /// The input this error is about.
    pub fn input(&self) -> Input {
        match self {
            CompatError::InvalidDate { .. } | CompatError::DateTooNew { .. } => Input::Date,
            CompatError::DuplicateFlag { index, .. }
            | CompatError::UnknownFlag { index, .. }
            | CompatError::Contradictory { index, .. }
            | CompatError::ExperimentalNotAllowed { index, .. } => Input::Flag(*index),
        }
    }
}

/// Something accepted but worth telling the user about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompatWarning {
    /// No compatibility date anywhere: the newest supported one is used,
    /// which means behaviour can change when hearth is upgraded.
    #[error(
        "No compatibility date was given, so the newest date supported by this server \
         binary, {newest}, is used. Set compatibility_date in wrangler.toml or pass \
         --compatibility-date to keep behaviour stable across upgrades."
    )]
    NoDate { newest: CompatDate },

    /// An enable flag that the date already turns on; `index` is its
    /// position in the flag list.
    #[error(
        "The compatibility flag {name} became the default as of {date} so does not \
         need to be specified anymore."
    )]
    RedundantFlag {
        name: String,
        date: CompatDate,
        index: usize,
    },
}

impl CompatWarning {
    /// The input this warning is about; `None` for a missing date, which was
    /// written nowhere.
    pub fn input(&self) -> Option<Input> {
        match self {
            CompatWarning::NoDate { .. } => None,
            CompatWarning::RedundantFlag { index, .. } => Some(Input::Flag(*index)),
        }
    }
}
