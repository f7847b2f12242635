//! The command line's tests, one binary: `planmark check` (`check`),
//! `planmark plan` and the other reports (`plan`), and `--fix` and the
//! edit commands (`actions`), each running the built `planmark`.

mod actions;
mod check;
mod plan;
mod support;
