//! `hearth test`: run web-platform-tests style conformance tests (classic
//! scripts using testharness.js) against the runtime, with expectations
//! and reporters for people and CI. The work is in [`crate::wpt`].

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::settings::SettingsArgs;
use crate::runtime::{WorkerOptions, run_scripts};
use crate::wpt::report::{self, Reporter};
use crate::wpt::runner::ProgressMode;
use crate::wpt::server::WptServer;
use crate::wpt::suite::{self, SuiteOptions, SuiteOutcome};

/// Run web-platform-tests conformance tests (testharness.js) against hearth.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Run web-platform-tests (WPT) style conformance tests against hearth: \
                  classic scripts written with the testharness.js API (test, async_test, \
                  promise_test, assert_*), each file in a fresh isolate under the compatibility \
                  date and flags from the command line or the config file (see `hearth flags`).\n\n\
                  Test files: a directory PATH is walked recursively, in name order, for *.any.js \
                  and *.worker.js; resources/, support/, tools/ and dot-directories hold helpers \
                  and are not entered. A file PATH is always run, whatever its name.\n\n\
                  What a file may ask for, in `// META: key=value` lines at its top (WPT's rules): \
                  script=PATH (helpers run first, in order, in the same global; /PATH resolves \
                  against the nearest directory above the test in which it exists, e.g. a WPT \
                  checkout's root; a relative path against the test's directory), timeout=long \
                  (6 × --timeout), variant=?QUERY (one run per variant; ?wss and \
                  wpt_flags=h2/https cannot be served here and are reported as skipped), \
                  title=TEXT and global=LIST (hearth is a worker-like global: a file whose list \
                  names no worker-like scope, e.g. global=window alone, is skipped). Files with \
                  .sub. in their name get WPT's {{host}}, {{ports[ws][0]}}, {{GET[name]}}, \
                  {{location[...]}} substitutions; `location` is \
                  http://127.0.0.1:PORT/PATH?VARIANT. A WebSocket test server (WPT's \
                  websockets/handlers: /echo, /remote-close, ...) listens on PORT.\n\n\
                  Expectations (--expectations FILE) turn known failures green and make fixes \
                  visible: anything that does not match them fails the run.\n\n\
                  Exit status: 0 when every result matched the expectations (every test passed, \
                  without --expectations); 1 when one did not (a failure, an error or timeout of a \
                  file, an unexpected pass), or when a PATH or the expectations file cannot be read; \
                  2 for a usage error. Warnings (unknown META keys, unknown substitutions, stale \
                  expectations) go to stderr prefixed 'warning:', with file and line.",
    after_help = "Examples:\n  \
                  hearth test                                       # everything under ./wpt\n  \
                  hearth test wpt/websockets --filter close\n  \
                  hearth test wpt --expectations wpt/expectations.json --reporter junit -o junit.xml\n  \
                  hearth test wpt/websockets/Close-1000.any.js --compatibility-date 2026-04-06"
)]
pub struct TestArgs {
    /// Test files and directories to run [default: wpt, in the current directory]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// How to report: pretty (per file, failures with messages and console output, a
    /// summary), tap (TAP version 13, one test point per subtest), junit (JUnit XML for
    /// CI test viewers), json (everything, for programs). The report goes to stdout (or
    /// --output); progress goes to stderr.
    #[arg(long, value_enum, value_name = "REPORTER", default_value_t = Reporter::Pretty)]
    pub reporter: Reporter,

    /// Known failures: a JSON object whose keys are test paths relative to the file's
    /// directory (with /, optionally with ?variant) and whose values are true (all
    /// pass; the default for tests not listed), false (the file is expected to fail)
    /// or a list of subtest names expected not to pass. A listed subtest that passes,
    /// or a false file that fully passes, fails the run: update the file.
    #[arg(long, value_name = "FILE")]
    pub expectations: Option<PathBuf>,

    /// Only run test files whose path (as reports show it, relative to the current
    /// directory) contains TEXT. Matches files, not subtest names.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,

    /// How many files run at once, each in its own isolate.
    #[arg(short, long, value_name = "N", default_value_t = 2,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,

    /// Timeout per file in seconds (fractions allowed): then its pending subtests are
    /// TIMEOUT. Files with `// META: timeout=long` get 6 times as long.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_seconds)]
    pub timeout: Duration,

    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!("{text} is not between 0 and 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

pub fn run(args: TestArgs) -> ExitCode {
    match test(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Whether every result matched its expectations.
fn test(args: TestArgs) -> Result<bool, String> {
    let (settings, resolution) = args.settings.resolve()?;
    for warning in &resolution.warnings {
        eprintln!("warning: {}", settings.locate(warning.input(), warning));
    }
    let paths = if args.paths.is_empty() {
        let default = PathBuf::from("wpt");
        if !default.exists() {
            return Err(
                "wpt: No such file or directory (with no PATH given, hearth test \
                        runs the tests in ./wpt)"
                    .into(),
            );
        }
        vec![default]
    } else {
        args.paths.clone()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let server = start_server(&runtime)?;
    let options = SuiteOptions {
        paths,
        filter: args.filter.clone(),
        expectations: args.expectations.clone(),
        jobs: args.jobs.into(),
        timeout: args.timeout,
        flags: resolution.flags.clone(),
        port: server.port(),
        heap_limit: WorkerOptions::DEFAULT_HEAP_LIMIT,
        progress: ProgressMode::detect(),
    };
    eprintln!(
        "hearth test: compatibility date {}, {} job{}",
        resolution.date,
        args.jobs,
        if args.jobs == 1 { "" } else { "s" }
    );
    let mut warn = |w: String| eprintln!("warning: {w}");
    // The server runs on the runtime's thread while the runs block this one.
    let outcome = suite::run_suite(&options, &mut warn, run_scripts);
    runtime.block_on(server.shutdown());
    let SuiteOutcome {
        judged,
        summary,
        time,
    } = outcome?;
    let text = report::render(args.reporter, &judged, &summary, time);
    write_report(&text, args.output.as_ref())?;
    Ok(summary.ok())
}

/// The WebSocket peer tests reach at `ws://127.0.0.1:{{ports[ws][0]}}/...`.
fn start_server(runtime: &tokio::runtime::Runtime) -> Result<WptServer, String> {
    runtime
        .block_on(WptServer::start())
        .map_err(|e| format!("could not start the WebSocket test server: {e}"))
}

fn write_report(text: &str, output: Option<&PathBuf>) -> Result<(), String> {
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("{}: cannot write the report: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not worth an error message.
            let _ = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
            Ok(())
        }
    }
}
