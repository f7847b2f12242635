//! planmark: a language server and checker for planning written as markdown.
//!
//! `analysis` is the pure engine; `load` reads a workspace from disk; `cli`
//! and `server` are the two front ends.

pub mod analysis;
pub mod cli;
pub mod discover;
pub mod disk;
pub mod load;
pub mod server;
