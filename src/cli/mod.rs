//! The `hearth` command line: one binary, subcommands in the style of
//! `wrangler` and `deno`. Each subcommand lives in its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod compare;
mod flags;
mod run;
mod settings;
mod test;

/// A Workers-style JavaScript runtime on V8.
#[derive(Debug, Parser)]
#[command(name = "hearth", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // No doc comment here on purpose: clap would let it override the
    // long help written on `FlagsArgs` itself.
    Flags(flags::FlagsArgs),
    Run(run::RunArgs),
    Test(test::TestArgs),
    Compare(compare::CompareArgs),
}

/// Entry point of the binary: parse arguments, run the subcommand, map the
/// outcome to an exit code (0 success, 1 failure; clap uses 2 for usage errors).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Flags(args) => flags::run(args),
        Command::Run(args) => run::run(args),
        Command::Test(args) => test::run(args),
        Command::Compare(args) => compare::run(args),
    }
}
