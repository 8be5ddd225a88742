//! Configuration sources (stub; see issue 4).
