//! One `hearth test` invocation, start to end: expectations, discovery,
//! planning, running, judging. The command line (`src/cli/test.rs`) adds
//! the settings, the test server and the report around it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::discover;
use super::expectations::Expectations;
use super::plan::{self, PlanOptions};
use super::runner::{self, ProgressMode};
use super::verdict::{Judged, Summary, judge};
use crate::compat::ResolvedFlags;
use crate::runtime::{ScriptOutcome, ScriptRunOptions};

#[derive(Debug, Clone)]
pub struct SuiteOptions {
    pub paths: Vec<PathBuf>,
    pub filter: Option<String>,
    pub expectations: Option<PathBuf>,
    pub jobs: usize,
    /// Per file; `// META: timeout=long` gets [`LONG_FACTOR`] times it.
    pub timeout: Duration,
    pub flags: ResolvedFlags,
    /// The WebSocket test server's port.
    pub port: u16,
    pub heap_limit: usize,
    pub progress: ProgressMode,
}

pub use super::plan::LONG_FACTOR;

/// The default per-file timeout (WPT's).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct SuiteOutcome {
    pub judged: Vec<Judged>,
    pub summary: Summary,
    /// Wall time of the whole run.
    pub time: Duration,
}

/// Run the suite; `warn` gets each warning (without the `warning: ` prefix)
/// as soon as it is known. Errors (a missing path, a bad expectations file,
/// nothing to run) come back before anything runs.
pub fn run_suite<F>(
    options: &SuiteOptions,
    warn: &mut dyn FnMut(String),
    execute: F,
) -> Result<SuiteOutcome, String>
where
    F: Fn(ScriptRunOptions) -> ScriptOutcome + Sync,
{
    let started = Instant::now();
    let cwd = std::env::current_dir()
        .map_err(|e| format!("could not determine the current directory: {e}"))?;
    let expectations = match &options.expectations {
        Some(path) => Expectations::load(path, &cwd)?,
        None => Expectations::none(),
    };
    let files = discover::discover(&options.paths, &cwd, options.filter.as_deref())?;
    if files.is_empty() {
        return Err(nothing_found(options));
    }
    let plan_options = PlanOptions::new(
        options.flags.clone(),
        options.port,
        options.timeout,
        options.heap_limit,
        cwd.clone(),
    );
    let mut runs = Vec::new();
    for file in &files {
        let (file_runs, warnings) = plan::plan_file(file, &plan_options);
        warnings.into_iter().for_each(&mut *warn);
        runs.extend(file_runs);
    }
    let keys: Vec<(Option<String>, String)> = runs
        .iter()
        .map(|r| (expectations.key_of(&r.file.path), r.variant.clone()))
        .collect();
    let results = runner::run_all(runs, options.jobs, options.progress, execute);
    let mut judged = Vec::with_capacity(results.len());
    for (result, (key, variant)) in results.into_iter().zip(&keys) {
        let j = judge(result, expectations.expected(key.as_deref(), variant));
        for name in &j.missing {
            let place = expectations
                .locate(key.as_deref(), variant)
                .unwrap_or_default();
            warn(format!(
                "{place}: subtest {name:?} is not among the results of {} (stale expectation)",
                j.result.name()
            ));
        }
        judged.push(j);
    }
    let ran: Vec<(String, String)> = keys
        .into_iter()
        .filter_map(|(key, variant)| Some((key?, variant)))
        .collect();
    expectations.stale(&ran).into_iter().for_each(&mut *warn);
    let summary = Summary::of(&judged);
    Ok(SuiteOutcome {
        judged,
        summary,
        time: started.elapsed(),
    })
}

fn nothing_found(options: &SuiteOptions) -> String {
    let paths: Vec<String> = options
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    match &options.filter {
        Some(filter) => format!(
            "no test file in {} matches --filter {filter:?}",
            paths.join(", ")
        ),
        None => format!(
            "no test files in {} (test files are named *.any.js or *.worker.js)",
            paths.join(", ")
        ),
    }
}
