//! The pure analysis core: text in, facts out. It never touches the file
//! system, the network or the LSP types, so the CLI and the server share it.

pub mod actions;
pub(crate) mod compact;
pub mod config;
pub mod dialect;
pub mod features;
pub mod fixture;
pub mod graph;
pub mod ids;
pub mod impact;
pub mod intern;
pub mod model;
pub mod parse;
pub mod path_order;
pub mod plan;
pub mod rules;
pub mod shard_map;
pub mod slice;
pub mod small_set;
pub mod suggest;
pub mod text;
pub mod workspace;
