//! Results against expectations: what is green and what is red.
//!
//! Per subtest: a pass that was expected (green), a listed subtest that did
//! not pass (green, "known failure"), an unlisted one that did not pass
//! (red), a listed one that passed (red, "unexpected pass": update the
//! expectations so the fix stays fixed). Per file: a harness that is not OK
//! (ERROR, TIMEOUT) is red unless the file is expected to fail (`false`);
//! a `false` file that fully passed is an unexpected pass. Any red subtest
//! makes its file red.

use serde::Serialize;

use super::expectations::Expected;
use super::runner::{Outcome, RunResult};
use crate::runtime::harness::{HarnessStatus, Subtest, SubtestStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    KnownFailure,
    Fail,
    UnexpectedPass,
    Skip,
}

impl Verdict {
    /// Red: the run does not match its expectations.
    pub fn is_unexpected(self) -> bool {
        matches!(self, Verdict::Fail | Verdict::UnexpectedPass)
    }
}

/// What a subtest was expected to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubtestExpected {
    Pass,
    /// Listed: expected not to pass.
    Fail,
    /// The whole file is expected to fail: either is fine.
    Any,
}

#[derive(Debug, Clone)]
pub struct JudgedSubtest {
    pub subtest: Subtest,
    pub expected: SubtestExpected,
    pub verdict: Verdict,
}

#[derive(Debug, Clone)]
pub struct Judged {
    pub result: RunResult,
    pub expected: Expected,
    /// How the harness status itself is judged, when it is not OK.
    pub harness: Option<Verdict>,
    pub subtests: Vec<JudgedSubtest>,
    /// The run as a whole (the worst of the above; see the module comment).
    pub verdict: Verdict,
    /// Listed subtests that are not among the results (the harness was OK):
    /// stale expectations.
    pub missing: Vec<String>,
}

pub fn judge(result: RunResult, expected: Expected) -> Judged {
    let report = match &result.outcome {
        Outcome::Skipped(_) => {
            return Judged {
                result,
                expected,
                harness: None,
                subtests: vec![],
                verdict: Verdict::Skip,
                missing: vec![],
            };
        }
        Outcome::Ran { report, .. } => report.clone(),
    };
    let subtests: Vec<JudgedSubtest> = report
        .tests
        .iter()
        .map(|subtest| {
            let passed = subtest.status == SubtestStatus::Pass;
            let expected = match &expected {
                Expected::Pass => SubtestExpected::Pass,
                Expected::FileFails => SubtestExpected::Any,
                Expected::Subtests(names) if names.contains(&subtest.name) => SubtestExpected::Fail,
                Expected::Subtests(_) => SubtestExpected::Pass,
            };
            let verdict = match (expected, passed) {
                (SubtestExpected::Fail, true) => Verdict::UnexpectedPass,
                (SubtestExpected::Fail | SubtestExpected::Any, false) => Verdict::KnownFailure,
                (SubtestExpected::Pass, false) => Verdict::Fail,
                (_, true) => Verdict::Pass,
            };
            JudgedSubtest {
                subtest: subtest.clone(),
                expected,
                verdict,
            }
        })
        .collect();
    let harness_ok = report.status == HarnessStatus::Ok;
    let harness = (!harness_ok).then_some(match expected {
        Expected::FileFails => Verdict::KnownFailure,
        _ => Verdict::Fail,
    });
    let verdicts = subtests.iter().map(|s| s.verdict).chain(harness);
    let worst = verdicts.fold(Verdict::Pass, |worst, v| {
        let rank = |v: Verdict| match v {
            Verdict::Fail => 4,
            Verdict::UnexpectedPass => 3,
            Verdict::KnownFailure => 2,
            Verdict::Pass | Verdict::Skip => 1,
        };
        if rank(v) > rank(worst) { v } else { worst }
    });
    let verdict = match (&expected, worst) {
        // Expected to fail, but nothing did.
        (Expected::FileFails, Verdict::Pass) => Verdict::UnexpectedPass,
        (_, worst) => worst,
    };
    let missing = match &expected {
        Expected::Subtests(names) if harness_ok => names
            .iter()
            .filter(|name| !report.tests.iter().any(|t| &t.name == *name))
            .cloned()
            .collect(),
        _ => vec![],
    };
    Judged {
        result,
        expected,
        harness,
        subtests,
        verdict,
        missing,
    }
}

/// Counts over all runs. "Files" are runs: a file with two variants counts twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub files_passed: usize,
    pub files_failed: usize,
    pub files_known_failures: usize,
    pub files_unexpected_passes: usize,
    pub files_skipped: usize,
    /// Harness status ERROR / TIMEOUT, expected or not.
    pub files_errors: usize,
    pub files_timeouts: usize,
    pub subtests: usize,
    pub subtests_passed: usize,
    pub subtests_failed: usize,
    pub subtests_known_failures: usize,
    pub subtests_unexpected_passes: usize,
    /// Subtests whose status is TIMEOUT, expected or not.
    pub subtests_timeouts: usize,
}

impl Summary {
    pub fn of(judged: &[Judged]) -> Summary {
        let mut s = Summary::default();
        for j in judged {
            s.files += 1;
            match j.verdict {
                Verdict::Pass => s.files_passed += 1,
                Verdict::Fail => s.files_failed += 1,
                Verdict::KnownFailure => s.files_known_failures += 1,
                Verdict::UnexpectedPass => s.files_unexpected_passes += 1,
                Verdict::Skip => s.files_skipped += 1,
            }
            if let Outcome::Ran { report, .. } = &j.result.outcome {
                match report.status {
                    HarnessStatus::Error => s.files_errors += 1,
                    HarnessStatus::Timeout => s.files_timeouts += 1,
                    _ => {}
                }
            }
            for t in &j.subtests {
                s.subtests += 1;
                match t.verdict {
                    Verdict::Pass => s.subtests_passed += 1,
                    Verdict::Fail => s.subtests_failed += 1,
                    Verdict::KnownFailure => s.subtests_known_failures += 1,
                    Verdict::UnexpectedPass => s.subtests_unexpected_passes += 1,
                    Verdict::Skip => {}
                }
                if t.subtest.status == SubtestStatus::Timeout {
                    s.subtests_timeouts += 1;
                }
            }
        }
        s
    }

    /// Every run matched its expectations (the exit status is 0).
    pub fn ok(&self) -> bool {
        self.files_failed == 0 && self.files_unexpected_passes == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::harness::HarnessReport;
    use crate::wpt::discover::TestFile;
    use std::time::Duration;

    fn result(status: HarnessStatus, tests: &[(&str, SubtestStatus)]) -> RunResult {
        RunResult {
            file: TestFile {
                path: "a.any.js".into(),
                display: "a.any.js".into(),
                base: ".".into(),
            },
            variant: String::new(),
            title: None,
            outcome: Outcome::Ran {
                report: HarnessReport {
                    status,
                    message: None,
                    stack: None,
                    tests: tests
                        .iter()
                        .map(|(name, status)| Subtest {
                            name: (*name).into(),
                            status: *status,
                            message: None,
                            stack: None,
                        })
                        .collect(),
                },
                console: vec![],
            },
            duration: Duration::ZERO,
        }
    }

    fn listed(names: &[&str]) -> Expected {
        Expected::Subtests(names.iter().map(|n| n.to_string()).collect())
    }

    use HarnessStatus::{Error, Ok as HOk};
    use SubtestStatus::{Fail, Pass, Timeout};

    fn verdicts(j: &Judged) -> (Verdict, Option<Verdict>, Vec<Verdict>) {
        (
            j.verdict,
            j.harness,
            j.subtests.iter().map(|s| s.verdict).collect(),
        )
    }

    #[test]
    fn subtest_verdicts() {
        let r = result(
            HOk,
            &[("a", Pass), ("b", Fail), ("c", Timeout), ("d", Pass)],
        );
        let j = judge(r.clone(), Expected::Pass);
        let (v, h, s) = verdicts(&j);
        assert_eq!((v, h), (Verdict::Fail, None));
        assert_eq!(
            s,
            [Verdict::Pass, Verdict::Fail, Verdict::Fail, Verdict::Pass]
        );

        let j = judge(r.clone(), listed(&["b", "c"]));
        assert_eq!(verdicts(&j).0, Verdict::KnownFailure);
        assert_eq!(j.subtests[1].expected, SubtestExpected::Fail);

        let j = judge(r.clone(), listed(&["b", "c", "d", "gone"]));
        let (v, _, s) = verdicts(&j);
        assert_eq!(v, Verdict::UnexpectedPass);
        assert_eq!(s[3], Verdict::UnexpectedPass);
        assert_eq!(j.missing, ["gone"]);

        // A red failure outweighs an unexpected pass.
        let j = judge(r.clone(), listed(&["b", "d"]));
        assert_eq!(verdicts(&j).0, Verdict::Fail);

        let j = judge(r, Expected::FileFails);
        let (v, _, s) = verdicts(&j);
        assert_eq!(v, Verdict::KnownFailure);
        assert_eq!(
            s,
            [
                Verdict::Pass,
                Verdict::KnownFailure,
                Verdict::KnownFailure,
                Verdict::Pass
            ]
        );
    }

    #[test]
    fn file_verdicts() {
        let passing = result(HOk, &[("a", Pass)]);
        assert_eq!(
            judge(passing.clone(), Expected::Pass).verdict,
            Verdict::Pass
        );
        assert_eq!(
            judge(passing, Expected::FileFails).verdict,
            Verdict::UnexpectedPass
        );
        let error = result(Error, &[("a", Pass)]);
        let (v, h, _) = verdicts(&judge(error.clone(), Expected::Pass));
        assert_eq!((v, h), (Verdict::Fail, Some(Verdict::Fail)));
        let (v, h, _) = verdicts(&judge(error.clone(), Expected::FileFails));
        assert_eq!((v, h), (Verdict::KnownFailure, Some(Verdict::KnownFailure)));
        // Listing subtests does not excuse a broken harness; nor are the
        // listed names "missing" when the harness did not finish.
        let j = judge(error, listed(&["zzz"]));
        assert_eq!(verdicts(&j).0, Verdict::Fail);
        assert!(j.missing.is_empty());
        let mut skipped = result(HOk, &[]);
        skipped.outcome = Outcome::Skipped("why".into());
        assert_eq!(judge(skipped, Expected::FileFails).verdict, Verdict::Skip);
    }

    #[test]
    fn summary_counts() {
        let judged = vec![
            judge(result(HOk, &[("a", Pass), ("b", Fail)]), listed(&["b"])),
            judge(
                result(HarnessStatus::Timeout, &[("c", Timeout)]),
                Expected::Pass,
            ),
            judge(result(HOk, &[("d", Pass)]), listed(&["d"])),
            judge(result(HOk, &[("e", Pass)]), Expected::Pass),
        ];
        let s = Summary::of(&judged);
        assert_eq!(
            s,
            Summary {
                files: 4,
                files_passed: 1,
                files_failed: 1,
                files_known_failures: 1,
                files_unexpected_passes: 1,
                files_timeouts: 1,
                subtests: 5,
                subtests_passed: 2,
                subtests_failed: 1,
                subtests_known_failures: 1,
                subtests_unexpected_passes: 1,
                subtests_timeouts: 1,
                ..Summary::default()
            }
        );
        assert!(!s.ok());
        assert!(Summary::of(&judged[..1]).ok());
    }
}
