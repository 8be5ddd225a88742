//! Run the planned runs on N threads, each through `run_scripts` (one fresh
//! isolate per run), and hand the results back in plan order, so the output
//! is the same whatever `--jobs` is and whichever file finishes first.

use std::io::{IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::discover::TestFile;
use super::plan::{Run, Work};
use crate::runtime::harness::{HarnessReport, HarnessStatus, SubtestStatus};
use crate::runtime::trace::TraceEntry;
use crate::runtime::{ScriptOutcome, ScriptRunOptions};

/// One line of console output from a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleLine {
    pub level: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ran {
        report: HarnessReport,
        console: Vec<ConsoleLine>,
    },
    Skipped(String),
}

/// What one run (file × variant) did.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub file: TestFile,
    pub variant: String,
    pub title: Option<String>,
    pub outcome: Outcome,
    pub duration: Duration,
}

impl RunResult {
    /// The file's display path and variant, as reports name it.
    pub fn name(&self) -> String {
        format!("{}{}", self.file.display, self.variant)
    }
}

/// How progress shows on stderr while the runs go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// One line, rewritten in place: `[12/40] websockets/foo.any.js`.
    Terminal,
    /// One line per finished run (logs, CI).
    Lines,
    Quiet,
}

impl ProgressMode {
    /// `Terminal` when stderr is one, else `Lines`.
    pub fn detect() -> ProgressMode {
        if std::io::stderr().is_terminal() {
            ProgressMode::Terminal
        } else {
            ProgressMode::Lines
        }
    }
}

struct Progress {
    mode: ProgressMode,
    total: usize,
    finished: AtomicUsize,
    /// Held while writing, so lines from two threads never interleave.
    out: Mutex<()>,
}

impl Progress {
    fn started(&self, name: &str) {
        if self.mode == ProgressMode::Terminal {
            let _guard = self.out.lock().unwrap();
            let done = self.finished.load(Ordering::SeqCst);
            let line = fit(
                &format!("[{}/{}] {name}", done + 1, self.total),
                terminal_width(80),
            );
            eprint!("\r\x1b[K{line}");
            let _ = std::io::stderr().flush();
        }
    }

    fn finished(&self, result: &RunResult) {
        let done = self.finished.fetch_add(1, Ordering::SeqCst) + 1;
        if self.mode == ProgressMode::Lines {
            let _guard = self.out.lock().unwrap();
            eprintln!("[{done}/{}] {}", self.total, line_of(result));
        }
    }

    fn end(&self) {
        if self.mode == ProgressMode::Terminal {
            eprint!("\r\x1b[K");
        }
    }
}

/// The terminal's width: `COLUMNS` when the shell exports it, else `default`.
pub fn terminal_width(default: usize) -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c > 20)
        .unwrap_or(default)
}

/// `line` shortened to less than `width` characters, keeping its end (the
/// file name), so it never wraps: a wrapped line could not be rewritten.
fn fit(line: &str, width: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() < width {
        return line.to_owned();
    }
    let keep = width.saturating_sub(2);
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("…{tail}")
}

/// `websockets/a.any.js OK (3/4 subtests passed, 0.12s)`.
fn line_of(result: &RunResult) -> String {
    let name = result.name();
    match &result.outcome {
        Outcome::Skipped(reason) => format!("{name} SKIP: {reason}"),
        Outcome::Ran { report, .. } => {
            let passed = report
                .tests
                .iter()
                .filter(|t| t.status == SubtestStatus::Pass)
                .count();
            let status = serde_json::to_value(report.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!(
                "{name} {status} ({passed}/{} subtests passed, {:.2}s)",
                report.tests.len(),
                result.duration.as_secs_f64()
            )
        }
    }
}

/// Run everything on `jobs` threads with `execute` (`run_scripts`, or a
/// stand-in in tests); results in the order of `runs`.
pub fn run_all<F>(runs: Vec<Run>, jobs: usize, mode: ProgressMode, execute: F) -> Vec<RunResult>
where
    F: Fn(ScriptRunOptions) -> ScriptOutcome + Sync,
{
    let progress = Progress {
        mode,
        total: runs.len(),
        finished: AtomicUsize::new(0),
        out: Mutex::new(()),
    };
    let slots: Vec<Mutex<Option<Run>>> = runs.into_iter().map(|r| Mutex::new(Some(r))).collect();
    let results: Vec<Mutex<Option<RunResult>>> = slots.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, slots.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(slot) = slots.get(index) else {
                        return;
                    };
                    let run = slot.lock().unwrap().take().expect("each run is taken once");
                    progress.started(&run.name());
                    let result = run_one(run, &execute);
                    progress.finished(&result);
                    *results[index].lock().unwrap() = Some(result);
                }
            });
        }
    });
    progress.end();
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap().expect("every run has a result"))
        .collect()
}

fn run_one<F>(run: Run, execute: &F) -> RunResult
where
    F: Fn(ScriptRunOptions) -> ScriptOutcome,
{
    let started = Instant::now();
    let outcome = match run.work {
        Work::Skip(reason) => Outcome::Skipped(reason),
        Work::Error(message) => Outcome::Ran {
            report: HarnessReport::failed(HarnessStatus::Error, message),
            console: vec![],
        },
        Work::Scripts(options) => {
            // A panic in one run must not take the others down with it.
            match catch_unwind(AssertUnwindSafe(|| execute(*options))) {
                Ok(outcome) => Outcome::Ran {
                    report: outcome.report,
                    console: console_of(outcome.trace),
                },
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("a panic");
                    let message = format!("hearth bug: the run panicked: {what}");
                    Outcome::Ran {
                        report: HarnessReport::failed(HarnessStatus::Error, message),
                        console: vec![],
                    }
                }
            }
        }
    };
    RunResult {
        file: run.file,
        variant: run.variant,
        title: run.title,
        outcome,
        duration: started.elapsed(),
    }
}

fn console_of(trace: Vec<TraceEntry>) -> Vec<ConsoleLine> {
    trace
        .into_iter()
        .filter_map(|entry| match entry {
            TraceEntry::Console { level, text } => Some(ConsoleLine { level, text }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compat::Registry;
    use crate::runtime::ClassicScript;
    use crate::runtime::harness::Subtest;

    fn scripts_run(name: &str, delay_ms: u64) -> Run {
        let registry = Registry::builtin();
        Run {
            file: TestFile {
                path: name.into(),
                display: name.into(),
                base: ".".into(),
            },
            variant: String::new(),
            title: None,
            work: Work::Scripts(Box::new(ScriptRunOptions {
                scripts: vec![ClassicScript {
                    name: name.into(),
                    source: delay_ms.to_string(),
                }],
                flags: registry.flags_at(registry.newest_supported_date()),
                location: format!("http://127.0.0.1:1/{name}"),
                timeout: Duration::from_secs(1),
                heap_limit: 1 << 20,
                trace: false,
            })),
        }
    }

    /// A stand-in for run_scripts: sleeps for the "source" milliseconds and
    /// passes one subtest named after the script, printing a line.
    fn fake(options: ScriptRunOptions) -> ScriptOutcome {
        let script = &options.scripts[0];
        if script.source == "panic" {
            panic!("boom");
        }
        std::thread::sleep(Duration::from_millis(script.source.parse().unwrap()));
        ScriptOutcome {
            report: HarnessReport {
                status: HarnessStatus::Ok,
                message: None,
                stack: None,
                tests: vec![Subtest {
                    name: script.name.clone(),
                    status: SubtestStatus::Pass,
                    message: None,
                    stack: None,
                }],
            },
            trace: vec![TraceEntry::Console {
                level: "log".into(),
                text: format!("hi from {}", script.name),
            }],
        }
    }

    #[test]
    fn results_come_back_in_plan_order_whatever_finishes_first() {
        let mut runs: Vec<Run> = [("slow", 150), ("fast", 1), ("mid", 40), ("fast2", 1)]
            .iter()
            .map(|(n, d)| scripts_run(n, *d))
            .collect();
        runs.push(Run {
            work: Work::Skip("no".into()),
            ..scripts_run("skipped", 0)
        });
        runs.push(Run {
            work: Work::Error("missing helper".into()),
            ..scripts_run("broken", 0)
        });
        for jobs in [1, 2, 4, 16] {
            let results = run_all(runs.clone(), jobs, ProgressMode::Quiet, fake);
            let names: Vec<String> = results.iter().map(RunResult::name).collect();
            assert_eq!(names, ["slow", "fast", "mid", "fast2", "skipped", "broken"]);
            assert_eq!(results[4].outcome, Outcome::Skipped("no".into()));
            let Outcome::Ran { report, console } = &results[0].outcome else {
                panic!("ran")
            };
            assert_eq!(report.tests[0].name, "slow");
            assert_eq!(console[0].text, "hi from slow");
            let Outcome::Ran { report, .. } = &results[5].outcome else {
                panic!("error result")
            };
            assert_eq!(report.status, HarnessStatus::Error);
            assert_eq!(report.message.as_deref(), Some("missing helper"));
        }
    }

    #[test]
    fn a_panicking_run_is_an_error_result() {
        let mut run = scripts_run("bad", 0);
        if let Work::Scripts(options) = &mut run.work {
            options.scripts[0].source = "panic".into();
        }
        let results = run_all(
            vec![run, scripts_run("good", 1)],
            2,
            ProgressMode::Quiet,
            fake,
        );
        let Outcome::Ran { report, .. } = &results[0].outcome else {
            panic!("ran")
        };
        assert_eq!(
            report.message.as_deref(),
            Some("hearth bug: the run panicked: boom")
        );
        assert!(
            matches!(&results[1].outcome, Outcome::Ran { report, .. } if report.tests.len() == 1)
        );
    }

    #[test]
    fn progress_fits_the_terminal() {
        assert_eq!(fit("[1/2] a.any.js", 80), "[1/2] a.any.js");
        assert_eq!(fit("[1/2] dir/long-name.any.js", 12), "…ame.any.js");
        assert!(fit(&"x".repeat(200), 80).chars().count() < 80);
    }

    #[test]
    fn progress_lines_name_the_run() {
        let mut result = run_one(scripts_run("ws/a.any.js", 0), &fake);
        result.duration = Duration::from_millis(120);
        assert_eq!(
            line_of(&result),
            "ws/a.any.js OK (1/1 subtests passed, 0.12s)"
        );
        result.outcome = Outcome::Skipped("variant ?wss needs TLS".into());
        assert_eq!(line_of(&result), "ws/a.any.js SKIP: variant ?wss needs TLS");
    }
}
