//! `hearth test`: a web-platform-tests compatible runner. Test files are
//! classic scripts written against the testharness.js API (hearth's own,
//! `js/10_testharness.js`), each run in a fresh isolate
//! (`runtime::run_scripts`).

/// The WebSocket peer for tests that need one (WPT's `websockets/handlers`).
pub mod server;
