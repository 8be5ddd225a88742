//! `hearth test`: a web-platform-tests compatible runner. Test files are
//! classic scripts written against the testharness.js API (hearth's own,
//! `js/10_testharness.js`), each run in a fresh isolate
//! (`runtime::run_scripts`).
//!
//! ```text
//! discover.rs      PATH arguments → test files (*.any.js, *.worker.js), --filter
//! meta.rs          // META: lines; which globals and variants hearth can run
//! substitute.rs    {{host}}, {{ports[ws][0]}}, {{GET[x]}} ... in .sub. files
//! plan.rs          a file → its runs (one per variant): scripts, URL, timeout, skips
//! runner.rs        the runs on N threads, results in plan order, progress on stderr
//! expectations.rs  --expectations FILE: which tests are known to fail
//! verdict.rs       results against expectations; the summary
//! report/          pretty, TAP, JUnit XML, JSON
//! suite.rs         all of the above in order, for the command line
//! server.rs        the WebSocket peer tests connect to
//! ```

pub mod discover;
pub mod expectations;
pub mod meta;
pub mod plan;
pub mod report;
pub mod runner;
pub mod substitute;
pub mod suite;
pub mod verdict;

/// The WebSocket peer for tests that need one (WPT's `websockets/handlers`).
pub mod server;
