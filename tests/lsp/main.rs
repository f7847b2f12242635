//! The language server's tests, one binary: each module drives `planmark
//! lsp` over stdio through the client in `support`.

mod actions;
#[path = "../support/copy_dir.rs"]
mod copy_dir;
mod diagnostics;
mod features;
mod indexing;
mod lifecycle;
mod milestones;
mod positions;
mod robustness;
mod soak;
mod support;
mod sync;
mod sync_proptest;
#[path = "../support/tree.rs"]
mod tree;
mod uris;
mod workspace;
mod workspace_robustness;
