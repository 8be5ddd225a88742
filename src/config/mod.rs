//! Where settings come from: the command line, then `wrangler.json`,
//! `wrangler.jsonc` or `wrangler.toml` (given with `--config`, or found in
//! the current directory). The command line wins over the file.

mod error;
mod file;
mod jsonc;
mod lines;
mod located;
mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::ConfigError;
pub use file::{Format, parse};
pub use lines::ValueLines;
pub use located::{Located, Location};
pub use schema::FileConfig;

use crate::compat::{CompatError, Input, Registry, Resolution};

/// Config file names looked for in the current directory, in wrangler's
/// order of preference.
pub const CONFIG_FILE_NAMES: [&str; 3] = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/// Settings given on the command line. `None` means "not given", so the
/// file's value (if any) applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CliSettings {
    /// `--config`: read this file instead of looking in the current directory.
    pub config: Option<PathBuf>,
    /// `--compatibility-date`.
    pub compatibility_date: Option<String>,
    /// `--compatibility-flags`: when given (even empty), replaces the file's
    /// list rather than adding to it, as in wrangler.
    pub compatibility_flags: Option<Vec<String>>,
}

/// The merged settings for one worker.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    /// `None` if given nowhere; resolution then uses the newest supported date
    /// (with a warning).
    pub compatibility_date: Option<String>,
    pub compatibility_flags: Vec<String>,
    /// The worker's entry module, relative paths taken from the config file's
    /// directory (as wrangler does).
    pub main: Option<PathBuf>,
    /// `[vars]`: passed to the worker as `env`. Strings stay strings; other
    /// values are JSON.
    pub vars: BTreeMap<String, serde_json::Value>,
    /// Lines in `config_file` of the compatibility values taken from it.
    /// Values from the command line have none (`None`, or an empty list).
    pub lines: ValueLines,
}

impl Settings {
    /// Resolves these settings' date and flags against a registry. An error
    /// about a value from the config file names its file and line; pass the
    /// resolution's warnings through [`locate`](Self::locate) for the same.
    pub fn resolve(
        &self,
        registry: &Registry,
        experimental: bool,
    ) -> Result<Resolution, Located<CompatError>> {
        registry
            .resolve(
                self.compatibility_date.as_deref(),
                &self.compatibility_flags,
                experimental,
            )
            .map_err(|e| self.locate(Some(e.input()), e))
    }

    /// Attaches to a message about `input` (from [`CompatError::input`] or
    /// [`CompatWarning::input`](crate::compat::CompatWarning::input)) where
    /// that input was written, if it came from the config file.
    pub fn locate<T>(&self, input: Option<Input>, message: T) -> Located<T> {
        let (key, line) = match input {
            Some(Input::Date) => ("compatibility_date", self.lines.compatibility_date),
            Some(Input::Flag(index)) => (
                "compatibility_flags",
                self.lines.compatibility_flags.get(index).copied(),
            ),
            None => {
                return Located {
                    location: None,
                    message,
                };
            }
        };
        // No line means the value did not come from the file.
        let location = self
            .config_file
            .as_ref()
            .zip(line)
            .map(|(file, line)| Location {
                file: file.display().to_string(),
                line,
                key,
            });
        Located { location, message }
    }
}

/// Finds the config file: `cli.config` if given (resolved against `cwd`),
/// else the first of [`CONFIG_FILE_NAMES`] present in `cwd`. The returned
/// path is what errors show: the path as given, or the bare file name.
pub fn find_config_file(cli: &CliSettings, cwd: &Path) -> Option<PathBuf> {
    if let Some(path) = &cli.config {
        return Some(path.clone());
    }
    CONFIG_FILE_NAMES
        .iter()
        .map(PathBuf::from)
        .find(|name| cwd.join(name).is_file())
}

/// Loads the settings: the config file (if any) with the command line on top.
/// `cwd` is the directory relative paths (and discovery) start from.
pub fn load(cli: &CliSettings, cwd: &Path) -> Result<Settings, ConfigError> {
    let (config_file, from_file) = match find_config_file(cli, cwd) {
        Some(shown) => {
            let full = cwd.join(&shown);
            let text = std::fs::read_to_string(&full).map_err(|source| ConfigError::Read {
                path: shown.clone(),
                source,
            })?;
            let config = parse(
                &text,
                Format::from_path(&shown),
                &shown.display().to_string(),
            )?;
            (Some(shown), config)
        }
        None => (None, FileConfig::default()),
    };
    let main = from_file.main.map(|main| {
        let base = config_file
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        base.join(main)
    });
    // A value's line is kept only when the value itself is the file's.
    let file_lines = from_file.lines;
    let (compatibility_date, date_line) = match &cli.compatibility_date {
        Some(date) => (Some(date.clone()), None),
        None => (from_file.compatibility_date, file_lines.compatibility_date),
    };
    let (compatibility_flags, flag_lines) = match &cli.compatibility_flags {
        Some(flags) => (flags.clone(), Vec::new()),
        None => (
            from_file.compatibility_flags.unwrap_or_default(),
            file_lines.compatibility_flags,
        ),
    };
    Ok(Settings {
        compatibility_date,
        compatibility_flags,
        main,
        vars: from_file.vars,
        config_file,
        lines: ValueLines {
            compatibility_date: date_line,
            compatibility_flags: flag_lines,
        },
    })
}
