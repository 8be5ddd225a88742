//! What a test file's harness reports (`js/10_testharness.js` calls
//! `ops.testReport(json)` once, when its tests are complete or timed out).
//! The statuses are those of web-platform-tests' testharness.js.

use serde::{Deserialize, Serialize};

/// One subtest's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubtestStatus {
    Pass,
    Fail,
    Timeout,
    Notrun,
    PreconditionFailed,
}

/// The file's (harness's) outcome: `Error` is an uncaught exception or a
/// harness misuse outside any subtest, `Timeout` the file's timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HarnessStatus {
    Ok,
    Error,
    Timeout,
    PreconditionFailed,
}

impl SubtestStatus {
    /// The name testharness.js and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            SubtestStatus::Pass => "PASS",
            SubtestStatus::Fail => "FAIL",
            SubtestStatus::Timeout => "TIMEOUT",
            SubtestStatus::Notrun => "NOTRUN",
            SubtestStatus::PreconditionFailed => "PRECONDITION_FAILED",
        }
    }
}

impl HarnessStatus {
    /// The name testharness.js and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            HarnessStatus::Ok => "OK",
            HarnessStatus::Error => "ERROR",
            HarnessStatus::Timeout => "TIMEOUT",
            HarnessStatus::PreconditionFailed => "PRECONDITION_FAILED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subtest {
    pub name: String,
    pub status: SubtestStatus,
    /// Why it did not pass (the assertion's message).
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub stack: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarnessReport {
    pub status: HarnessStatus,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub stack: Option<String>,
    /// In the order the subtests were defined.
    pub tests: Vec<Subtest>,
}

impl HarnessReport {
    /// A file that produced no report of its own (it could not start, or it
    /// was stopped before its harness could answer).
    pub fn failed(status: HarnessStatus, message: impl Into<String>) -> Self {
        HarnessReport {
            status,
            message: Some(message.into()),
            stack: None,
            tests: vec![],
        }
    }
}
