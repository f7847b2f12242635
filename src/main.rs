//! The `planmark` binary: parses the command line, then starts the
//! language server or runs a command-line command.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: parsing a large workspace
/// makes millions of small allocations, where glibc's malloc spent a fifth
/// of `planmark check`'s time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match planmark::cli::Cli::parse().command {
        planmark::cli::Command::Lsp(_) => planmark::server::run(),
        command => planmark::cli::run(command),
    }
}
