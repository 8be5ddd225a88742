//! One flag off, then on, with everything else the same: the two runs of
//! `hearth compare`.
//!
//! ```
//! use hearth::compat::{CompatDate, Registry};
//!
//! let date: CompatDate = "2026-11-17".parse().unwrap();
//! let runs = Registry::builtin()
//!     .toggle("web_socket_auto_reply_to_close", date, &[])
//!     .unwrap();
//! // On by default at that date: "off" needs the disable flag, "on" nothing.
//! assert_eq!(runs.off, ["web_socket_manual_reply_to_close"]);
//! assert!(runs.on.is_empty());
//! ```

use super::date::CompatDate;
use super::registry::Registry;

/// The flag lists of the two runs; each is `others` (minus any name of the
/// toggled flag) plus what it takes to turn the flag off or on at the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toggle {
    /// The flag's identity (its enable name).
    pub flag: String,
    pub off: Vec<String>,
    pub on: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToggleError {
    #[error("No such compatibility flag: {0}")]
    UnknownFlag(String),
    #[error(
        "{flag} is on by default from {since} and has no flag that turns it off, \
         so it cannot be compared at {date}: pass a --compatibility-date before {since}"
    )]
    CannotDisable {
        flag: String,
        since: CompatDate,
        date: CompatDate,
    },
}

impl Registry {
    /// `flag` may be given by its enable or its disable name.
    pub fn toggle(
        &self,
        flag: &str,
        date: CompatDate,
        others: &[String],
    ) -> Result<Toggle, ToggleError> {
        let def = self
            .flags()
            .iter()
            .find(|d| d.enable == flag || d.disable.as_deref() == Some(flag))
            .ok_or_else(|| ToggleError::UnknownFlag(flag.to_owned()))?;
        let base: Vec<String> = others
            .iter()
            .filter(|name| **name != def.enable && def.disable.as_ref() != Some(*name))
            .cloned()
            .collect();
        let on_by_date = def.default_on.filter(|since| date >= *since);
        let (mut off, mut on) = (base.clone(), base);
        match on_by_date {
            Some(since) => {
                let disable = def.disable.clone().ok_or(ToggleError::CannotDisable {
                    flag: def.enable.clone(),
                    since,
                    date,
                })?;
                off.push(disable);
            }
            None => on.push(def.enable.clone()),
        }
        Ok(Toggle {
            flag: def.enable.clone(),
            off,
            on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> CompatDate {
        s.parse().unwrap()
    }

    #[test]
    fn before_the_default_date_on_needs_the_enable_flag() {
        let t = Registry::builtin()
            .toggle("web_socket_manual_reply_to_close", date("2026-04-06"), &[])
            .unwrap();
        assert_eq!(t.flag, "web_socket_auto_reply_to_close");
        assert!(t.off.is_empty());
        assert_eq!(t.on, ["web_socket_auto_reply_to_close"]);
    }

    #[test]
    fn other_flags_are_kept_and_names_of_the_toggled_one_dropped() {
        let others = [
            "no_web_socket_compression".to_owned(),
            "web_socket_auto_reply_to_close".to_owned(),
        ];
        let t = Registry::builtin()
            .toggle(
                "web_socket_auto_reply_to_close",
                date("2026-04-07"),
                &others,
            )
            .unwrap();
        assert_eq!(
            t.off,
            [
                "no_web_socket_compression",
                "web_socket_manual_reply_to_close"
            ]
        );
        assert_eq!(t.on, ["no_web_socket_compression"]);
    }

    #[test]
    fn unknown_and_undisableable_flags_are_errors() {
        let r = Registry::builtin();
        assert_eq!(
            r.toggle("no_such_flag", date("2026-04-07"), &[])
                .unwrap_err()
                .to_string(),
            "No such compatibility flag: no_such_flag"
        );
        let registry = Registry::from_toml_str(
            "newest_supported_date = \"2026-11-17\"\n[[flag]]\nenable = \"a\"\ndefault_on = \"2026-01-01\"\ndescription = \"d\"\n",
        )
        .unwrap();
        let e = registry.toggle("a", date("2026-02-01"), &[]).unwrap_err();
        assert!(
            e.to_string()
                .contains("pass a --compatibility-date before 2026-01-01"),
            "{e}"
        );
        assert!(registry.toggle("a", date("2025-12-31"), &[]).is_ok());
    }
}
