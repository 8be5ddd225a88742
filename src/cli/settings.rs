//! The options every worker-running subcommand shares: where the
//! compatibility date, flags and config file come from.

use std::path::PathBuf;

use crate::compat::{Registry, Resolution};
use crate::config::{self, CliSettings, Settings};

#[derive(Debug, Clone, clap::Args)]
pub struct SettingsArgs {
    /// Compatibility date, YYYY-MM-DD [default: the config file's
    /// compatibility_date, else the newest date this build supports, with a warning]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub compatibility_date: Option<String>,

    /// Compatibility flags to enable or disable, comma-separated and/or repeated
    /// (e.g. --compatibility-flags a,b --compatibility-flags c). Replaces the
    /// config file's compatibility_flags; pass "" to use none.
    #[arg(
        long,
        visible_alias = "compatibility-flag",
        value_name = "FLAG[,FLAG...]",
        value_delimiter = ',',
        num_args = 1
    )]
    pub compatibility_flags: Option<Vec<String>>,

    /// Read settings from this wrangler.toml, wrangler.json or wrangler.jsonc
    /// instead of looking in the current directory.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Allow experimental compatibility flags (they may change or be removed in
    /// any release).
    #[arg(long)]
    pub experimental: bool,
}

impl SettingsArgs {
    fn cli_settings(&self) -> CliSettings {
        CliSettings {
            config: self.config.clone(),
            compatibility_date: self.compatibility_date.clone(),
            // Surrounding spaces ("a, b") and empty items ("a,,b", "") are
            // forgiven: they cannot be flag names and are easy to type.
            compatibility_flags: self.compatibility_flags.as_ref().map(|flags| {
                flags
                    .iter()
                    .map(|f| f.trim())
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
        }
    }

    /// Load the config file and resolve the flags. The settings come back
    /// too: they know where each value was written, which warnings need.
    pub fn resolve(&self) -> Result<(Settings, Resolution), String> {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("could not determine the current directory: {e}"))?;
        let settings = config::load(&self.cli_settings(), &cwd).map_err(|e| e.to_string())?;
        let resolution = settings
            .resolve(Registry::builtin(), self.experimental)
            .map_err(|e| e.to_string())?;
        Ok((settings, resolution))
    }
}
