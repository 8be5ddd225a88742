//! Compatibility flags (stub; see issue 4).
