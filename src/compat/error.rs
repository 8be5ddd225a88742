//! What resolution can refuse or warn about. The Display text is the exact
//! user-facing message; where the production runtime has a message for the
//! same situation, it is reproduced word for word so users see the same thing
//! in both places.

use super::date::CompatDate;

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

    #[error("Compatibility flag specified multiple times: {0}")]
    DuplicateFlag(String),

    #[error("No such compatibility flag: {0}")]
    UnknownFlag(String),

    #[error("Compatibility flags are mutually contradictory: {enable} vs {disable}")]
    Contradictory { enable: String, disable: String },

    #[error(
        "The compatibility flag {0} is experimental and may break or be removed in a \
         future version of hearth. To use this flag, you must pass --experimental on \
         the command line."
    )]
    ExperimentalNotAllowed(String),
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

    /// An enable flag that the date already turns on.
    #[error(
        "The compatibility flag {name} became the default as of {date} so does not \
         need to be specified anymore."
    )]
    RedundantFlag { name: String, date: CompatDate },
}
