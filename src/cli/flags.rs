//! `hearth flags` (stub; see issue 4).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct FlagsArgs {}

pub fn run(_args: FlagsArgs) -> ExitCode {
    ExitCode::FAILURE
}
