//! The `planmark` binary: parses the command line, then starts the
//! language server or runs a command-line command.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: parsing a large workspace
/// makes millions of small allocations, where glibc's malloc spent a fifth
/// of `planmark check`'s time. It is built without transparent huge pages
/// (`no_thp` in `Cargo.toml`): with them, every first touch of a 2 MB
/// region zeroed all of it, a fifth of `check`'s cycles at 100,000 files.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match planmark::cli::Cli::parse().command {
        planmark::cli::Command::Lsp(_) => planmark::server::run(),
        command => planmark::cli::run(command),
    }
}
