//! The engine's tests, one binary: parsing, the rules, the graph and the
//! plan, the fixes (`actions`), the corpora under `tests/corpora/`, the
//! property tests and hostile input. Each file is a module; `ranges`
//! checks the ranges the engine hands out, and `tree` (shared with the
//! server's tests) makes workspaces on disk.

mod actions;
mod corpus;
mod corpus_backlogmd;
mod corpus_bmad;
mod corpus_engine;
mod corpus_findings;
mod corpus_gsd;
mod corpus_kiro;
mod corpus_milestones;
mod corpus_openspec;
mod corpus_speckit;
mod features;
mod graph;
mod parse_variants;
mod proptest_actions;
mod proptest_parse;
#[path = "../support/ranges.rs"]
mod ranges;
mod robustness;
mod rules;
mod standalone;
#[path = "../support/tree.rs"]
mod tree;
