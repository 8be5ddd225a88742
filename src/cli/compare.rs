//! `hearth compare`: one compatibility flag off, then on; the two traces
//! side by side.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use super::settings::SettingsArgs;
use crate::compare::script::ClientScript;
use crate::compare::{Comparison, Side, run};
use crate::compat::{Registry, ResolvedFlags};

/// Run a worker or a test file with a flag off and on, and diff what happened.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Run a worker or a test file twice — with a compatibility flag off, then on, \
                  everything else the same — record what happened each time, and show the \
                  differences side by side.\n\n\
                  The trace holds WebSocket events in order with their type, readyState at \
                  dispatch, code, reason and wasClean; the frames the script's sockets sent \
                  and received; console output; test results; and, for a worker, every frame \
                  on the wire as the client saw it.\n\n\
                  A worker (any file but *.any.js / *.worker.js) is served on 127.0.0.1 and \
                  driven by a scripted WebSocket client: --client-script FILE, or by default \
                  open, send \"hello\", close 1000 \"bye\", wait for the Close. Client script \
                  steps, one per line: path /p, protocol NAME, send \"text\", send-binary N, \
                  close [CODE [\"reason\"]], wait message, wait close, wait 250ms, drop.\n\n\
                  A test file (*.any.js, *.worker.js) runs as `hearth test` runs it.",
    after_help = "Examples:\n  \
                  hearth compare examples/changelog/auto-reply.js\n  \
                  hearth compare examples/changelog/half-open.js --client-script examples/changelog/close.client\n  \
                  hearth compare wpt/changelog/example-1.any.js --json\n  \
                  hearth compare worker.js --flag websocket_standard_binary_type --compatibility-date 2026-01-01"
)]
pub struct CompareArgs {
    /// The worker module or test file to run
    pub target: PathBuf,

    /// The flag to turn off and on (its enable or disable name)
    #[arg(
        long,
        default_value = "web_socket_auto_reply_to_close",
        value_name = "NAME"
    )]
    pub flag: String,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// What the client does (worker targets); see above for the steps
    #[arg(long, value_name = "FILE")]
    pub client_script: Option<PathBuf>,

    /// How long the client waits for a message or Close, and the worker to
    /// settle, before it records that nothing came, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub wait: u64,

    /// Print the comparison as JSON (both traces, the rows, the summary)
    #[arg(long)]
    pub json: bool,

    /// Exit with 1 when the runs differ (like `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,
}

pub fn run(args: CompareArgs) -> ExitCode {
    match compare(&args) {
        Ok(comparison) => {
            let text = if args.json {
                let json = serde_json::to_string_pretty(&comparison).expect("serializable");
                format!("{json}\n")
            } else {
                comparison.to_text(crate::wpt::runner::terminal_width(160))
            };
            // A closed pipe (`| head`) is not worth a panic.
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
            // A run that could not happen makes the comparison unusable.
            let failed = comparison.off.error.is_some() || comparison.on.error.is_some();
            if failed || (args.exit_code && !comparison.identical()) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Test files are named as web-platform-tests name them.
fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy());
    name.is_some_and(|n| crate::wpt::discover::is_test_name(&n))
}

fn compare(args: &CompareArgs) -> Result<Comparison, String> {
    let (settings, base) = args.settings.resolve()?;
    for warning in &base.warnings {
        eprintln!("warning: {}", settings.locate(warning.input(), warning));
    }
    if !args.target.is_file() {
        return Err(format!("{}: no such file", args.target.display()));
    }
    let registry = Registry::builtin();
    let toggle = registry
        .toggle(&args.flag, base.date, &settings.compatibility_flags)
        .map_err(|e| e.to_string())?;
    let resolve = |flags: &[String]| -> Result<ResolvedFlags, String> {
        let date = base.date.to_string();
        registry
            .resolve(Some(&date), flags, args.settings.experimental)
            .map(|r| r.flags)
            .map_err(|e| e.to_string())
    };
    let (off_flags, on_flags) = (resolve(&toggle.off)?, resolve(&toggle.on)?);
    let test = is_test_file(&args.target);
    let wait = Duration::from_millis(args.wait);
    let script = match &args.client_script {
        Some(path) => ClientScript::read(path).map_err(|e| e.to_string())?,
        None => ClientScript::default(),
    };
    let side = |flags: &ResolvedFlags, names: &[String]| -> Side {
        let traced = if test {
            run::test(&args.target, flags)
        } else {
            run::worker(&args.target, flags, &settings.vars, &script, wait)
        };
        let (trace, error) = match traced {
            Ok(trace) => (trace, None),
            Err(e) => (vec![], Some(e)),
        };
        Side {
            flags: names.to_vec(),
            error,
            trace,
        }
    };
    let off = side(&off_flags, &toggle.off);
    let on = side(&on_flags, &toggle.on);
    Ok(Comparison::new(
        args.target.display().to_string(),
        if test { "test" } else { "worker" },
        toggle.flag,
        base.date.to_string(),
        off,
        on,
    ))
}
