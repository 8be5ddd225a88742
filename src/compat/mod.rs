//! Compatibility dates and flags.
//!
//! Every worker runs under a compatibility date plus explicit flags. The
//! flags are defined only in `compat-flags.toml` (embedded in the binary);
//! this module parses that registry and resolves a date and a list of names
//! into on/off per flag, with the production runtime's rules and messages.
//!
//! ```
//! use hearth::compat::Registry;
//!
//! let registry = Registry::builtin();
//! let resolution = registry
//!     .resolve(Some("2026-04-07"), &["no_web_socket_compression".to_string()], false)
//!     .unwrap();
//! assert!(resolution.flags.is_enabled("web_socket_auto_reply_to_close"));
//! assert!(!resolution.flags.is_enabled("web_socket_compression"));
//! assert!(resolution.warnings.is_empty());
//! ```

mod date;
mod error;
mod registry;
mod resolve;
mod toggle;

pub use date::{CompatDate, DateParseError};
pub use error::{CompatError, CompatWarning, Input};
pub use registry::{FlagDef, Registry, RegistryError};
pub use resolve::{Reason, Resolution, ResolvedFlag, ResolvedFlags};
pub use toggle::{Toggle, ToggleError};
