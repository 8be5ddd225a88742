//! `hearth flags`: show how every compatibility flag resolves for a worker's
//! settings, and why. Uses exactly the loading and resolution a worker run
//! uses, so what this prints is what the worker gets.

use std::process::ExitCode;

use super::settings::SettingsArgs;
use crate::compat::Resolution;

/// Show how compatibility flags resolve for a compatibility date.
///
/// Settings come from the command line, then from wrangler.json,
/// wrangler.jsonc or wrangler.toml (in the current directory, or --config).
/// The command line wins over the file.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Show, for every compatibility flag hearth knows, whether it is on or off \
                  for a worker and why: its compatibility date, an enable flag, a disable \
                  flag, or off by default.\n\n\
                  Settings come from the command line, then from the config file \
                  (wrangler.json, wrangler.jsonc or wrangler.toml in the current directory, \
                  or the file given with --config). The command line wins over the file.\n\n\
                  Warnings are printed to stderr prefixed 'warning:'. Errors are printed to \
                  stderr prefixed 'error:' and exit with status 1. Both name the config \
                  file and line when the value they are about was read from the file.",
    after_help = "Examples:\n  \
                  hearth flags --compatibility-date 2026-04-07\n  \
                  hearth flags --compatibility-date 2026-01-01 --compatibility-flags web_socket_auto_reply_to_close\n  \
                  hearth flags --config ./wrangler.jsonc --json"
)]
pub struct FlagsArgs {
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Print a JSON object mapping each flag's enable name to true/false, the
    /// value a worker sees as Cloudflare.compatibilityFlags.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: FlagsArgs) -> ExitCode {
    match args.settings.resolve() {
        Ok((settings, resolution)) => {
            for warning in &resolution.warnings {
                eprintln!("warning: {}", settings.locate(warning.input(), warning));
            }
            if args.json {
                println!("{}", resolution.flags.to_json_pretty());
            } else {
                print!("{}", render_table(&resolution));
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The human output: a header naming the date, then one aligned row per flag.
fn render_table(resolution: &Resolution) -> String {
    let rows: Vec<[String; 3]> = resolution
        .flags
        .iter()
        .map(|flag| {
            let state = if flag.enabled { "on" } else { "off" };
            [flag.name.clone(), state.to_owned(), flag.reason.to_string()]
        })
        .collect();
    let header = ["FLAG", "STATE", "REASON"].map(str::to_owned);
    let width = |col: usize| {
        rows.iter()
            .chain(std::iter::once(&header))
            .map(|r| r[col].len())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    let mut out = format!("Compatibility date: {}\n", resolution.date);
    for [name, state, reason] in std::iter::once(&header).chain(&rows) {
        out.push_str(&format!("{name:<w0$}  {state:<w1$}  {reason}\n"));
    }
    out
}
