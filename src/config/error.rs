//! Errors from finding and reading a config file. Display is the exact
//! message users see (after `error: `).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read (including `--config` naming a missing file).
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The file was read but is not valid: bad syntax, or a key with a value
    /// of the wrong type. `file` is the path as the user would write it.
    #[error("{file}:{line}: {}{message}", key.as_ref().map(|k| format!("{k}: ")).unwrap_or_default())]
    Invalid {
        file: String,
        line: usize,
        /// The key whose value was rejected (`vars.NAME`, `compatibility_flags[2]`);
        /// `None` for syntax errors.
        key: Option<String>,
        message: String,
    },
}
