//! The editor integrations' tests, one binary: Helix (`helix`), Neovim
//! (`neovim`), the VS Code extension's own tests (`vscode`) and VS Code
//! itself driving the extension (`vscode_real`). `support` has what they
//! share.

#[path = "../support/copy_dir.rs"]
mod copy_dir;
mod helix;
mod neovim;
mod support;
mod vscode;
mod vscode_real;
