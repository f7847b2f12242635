//! `initialize` and `initialized`: negotiation, workspace roots, settings
//! from `initializationOptions`, and watching the client's process.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InitializeParams, InitializeResult, MessageType, ServerInfo};

use crate::server::capabilities::{self, ClientCaps};
use crate::server::convert::{self, Encoding};
use crate::server::main_loop::Event;
use crate::server::settings::Settings;
use crate::server::state::{Phase, Shared};
use crate::server::{handlers, watch};

/// How often the client's process is checked for.
const PARENT_POLL: Duration = Duration::from_secs(2);

/// Answers at once: indexing starts with `initialized`, in the background.
pub(crate) fn initialize(
    shared: &Arc<Shared>,
    params: InitializeParams,
) -> Result<InitializeResult> {
    let caps = ClientCaps::from_lsp(&params.capabilities);
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let roots = workspace_roots(&params);
    let (settings, problems) = match &params.initialization_options {
        Some(options) if options.is_object() => {
            Settings::from_section(Settings::section_in(options).unwrap_or(options))
        }
        _ => (Settings::default(), Vec::new()),
    };
    {
        let mut state = shared.lock();
        state.caps = caps.clone();
        state.encoding = encoding;
        state.settings = settings;
        state.pending.settings = true;
        state.phase = Phase::Running;
        for root in &roots {
            state.add_folder(root.clone());
        }
    }
    for problem in problems {
        tracing::warn!("initializationOptions: {problem}");
    }
    tracing::info!(
        "initialize: {} root(s) {:?}, position encoding {}, {} diagnostics",
        roots.len(),
        roots,
        encoding.name(),
        if caps.pull_diagnostics {
            "pull"
        } else {
            "push"
        }
    );
    if let Some(pid) = params.process_id {
        watch_parent(pid);
    }
    Ok(InitializeResult {
        capabilities: capabilities::server_capabilities(&caps, encoding),
        server_info: Some(ServerInfo {
            name: "planmark".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        ..InitializeResult::default()
    })
}

/// The workspace folders, else the deprecated `rootUri` and `rootPath`.
/// With none, each opened file brings its own root.
#[allow(deprecated)]
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let local = |uri: &tower_lsp_server::ls_types::Uri| {
        let path = convert::uri_to_path(uri);
        if path.is_none() {
            tracing::warn!(
                "workspace folder `{}` is not a local folder; ignored",
                uri.as_str()
            );
        }
        path
    };
    if let Some(folders) = &params.workspace_folders {
        if !folders.is_empty() {
            return folders.iter().filter_map(|f| local(&f.uri)).collect();
        }
    }
    if let Some(uri) = &params.root_uri {
        return local(uri).into_iter().collect();
    }
    params
        .root_path
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .map(|p| crate::discover::lexical(&p))
        .collect()
}

/// Starts indexing, then (without holding up other messages) registers
/// file watching and fetches the settings.
pub(crate) fn initialized(shared: &Arc<Shared>) {
    shared.send(Event::Start);
    shared.runtime.spawn(watch::register(shared.clone()));
    if shared.lock().caps.configuration {
        shared
            .runtime
            .spawn(handlers::workspace::fetch_settings(shared.clone()));
    }
    shared.log(MessageType::INFO, "planmark language server started");
}

/// Exits when the client's process is gone, as the specification asks, so
/// a crashed editor leaves no server behind.
fn watch_parent(pid: u32) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(PARENT_POLL).await;
            if !process_alive(pid) {
                tracing::error!("the client process {pid} is gone; exiting");
                std::process::exit(1);
            }
        }
    });
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 sends nothing; `kill` only checks that the process
    // exists and may be signalled.
    let alive = unsafe { libc::kill(pid, 0) } == 0
        || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
    alive && !is_zombie(pid)
}

/// A process that has exited but was not reaped yet still answers `kill`.
#[cfg(target_os = "linux")]
fn is_zombie(pid: libc::pid_t) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // The state follows the command name, which is in parentheses.
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
    })
}

#[cfg(all(unix, not(target_os = "linux")))]
fn is_zombie(_: libc::pid_t) -> bool {
    false
}

#[cfg(not(unix))]
fn process_alive(_: u32) -> bool {
    true
}
