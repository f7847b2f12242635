//! The `planmark` binary: parses the command line and runs a command.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    planmark::cli::run(planmark::cli::Cli::parse())
}
