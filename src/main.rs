//! The `planmark` binary: parses the command line and runs a command.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: parsing a large workspace
/// makes millions of small allocations, where glibc's malloc spent a fifth
/// of `planmark check`'s time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    planmark::cli::run(planmark::cli::Cli::parse())
}
