//! hearth: a Workers-style JavaScript runtime on V8.
//!
//! The layers, bottom up (see `ARCHITECTURE.md`):
//! - [`compat`]: the compatibility-flag registry and its resolution rules.
//! - [`config`]: where settings come from (command line, `wrangler.toml`/`.json`/`.jsonc`).
//! - [`ws`]: the WebSocket core: one close-handshake state machine used by
//!   both the network transport and the in-process pair.
//! - [`server`]: the HTTP server that accepts WebSocket upgrades.
//! - [`wpt`]: `hearth test`, the web-platform-tests compatible runner.
//! - [`compare`]: `hearth compare`, one flag off and on, traces diffed.
//! - [`cli`]: the `hearth` command line.

pub mod cli;
pub mod compare;
pub mod compat;
pub mod config;
pub mod runtime;
pub mod server;
pub mod wpt;
pub mod ws;
