//! Reading whole roots from disk in the background, with work-done
//! progress (`$/progress`, in percent) when the client supports it. The
//! result goes back to the main loop, which merges it with the open
//! documents.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tower_lsp_server::ls_types::{
    notification, MessageType, NumberOrString, ProgressParams, ProgressParamsValue,
    WorkDoneProgress, WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport,
};
use tower_lsp_server::Client;

use crate::analysis::config::{Config, ConfigError};
use crate::analysis::workspace::Workspace;
use crate::load::{list_planning_files_settled, ListedFile};
use crate::server::diagnostics::panic_message;
use crate::server::main_loop::Event;
use crate::server::state::{RootId, Shared};

/// A root to read, with the configuration to classify its files.
pub(crate) struct IndexJob {
    pub(crate) root: RootId,
    pub(crate) generation: u64,
    pub(crate) path: PathBuf,
    pub(crate) config: Config,
    pub(crate) config_errors: Vec<ConfigError>,
    /// The roots nested in this one: their folders are not entered.
    pub(crate) skip: Vec<PathBuf>,
    /// The root's first index: a root that turns out to hold no planning
    /// files of its own may then be one part of a project above it.
    pub(crate) first: bool,
}

/// A root read from disk.
pub(crate) struct Indexed {
    pub(crate) root: RootId,
    pub(crate) generation: u64,
    pub(crate) ws: Workspace,
    /// The project this root is one part of, when the root holds no
    /// planning files of its own (an editor opened on `specs/001-login/`):
    /// see [`crate::discover::enclosing_project`].
    pub(crate) enclosing: Option<PathBuf>,
}

#[derive(Clone, Copy, Default)]
struct Progress {
    done: usize,
    total: usize,
    finished: bool,
}

/// Indexes `jobs` on a blocking thread, one after the other, reporting one
/// progress for all of them.
pub(crate) fn spawn(shared: Arc<Shared>, jobs: Vec<IndexJob>, report_progress: bool) {
    if jobs.is_empty() {
        return;
    }
    let (tx, rx) = watch::channel(Progress::default());
    if report_progress {
        shared.runtime.spawn(report(shared.client.clone(), rx));
    }
    let runtime = shared.runtime.clone();
    runtime.spawn_blocking(move || {
        if let Some(delay) = shared.test_index_delay {
            std::thread::sleep(delay);
        }
        let listed: Vec<_> = jobs
            .into_iter()
            .map(|mut job| {
                let (files, problems) =
                    list_planning_files_settled(&job.path, &mut job.config, &job.skip);
                (job, files, problems)
            })
            .collect();
        let total = listed.iter().map(|(_, files, _)| files.len()).sum();
        let mut done = 0;
        tx.send_replace(Progress {
            done,
            total,
            finished: false,
        });
        for (job, files, problems) in listed {
            let started = Instant::now();
            let count = files.len();
            if !report_progress {
                // Without `$/progress` the client's log says what is going on.
                shared.log(
                    MessageType::INFO,
                    format!("indexing {count} planning files in {}", job.path.display()),
                );
            }
            for problem in &problems {
                shared.log(
                    MessageType::WARNING,
                    format!(
                        "{}: {}",
                        job.path.join(&problem.path).display(),
                        problem.message
                    ),
                );
            }
            let path = job.path.clone();
            let (root, generation) = (job.root, job.generation);
            let enclosing = (job.first
                && files.is_empty()
                && job.skip.is_empty()
                && job.config_errors.is_empty())
            .then(|| crate::discover::enclosing_project(&path))
            .flatten();
            let loaded = std::panic::catch_unwind(AssertUnwindSafe(|| {
                load(job, files, &mut |n| {
                    done += n;
                    tx.send_replace(Progress {
                        done,
                        total,
                        finished: false,
                    });
                })
            }));
            let ws = match loaded {
                Ok(ws) => {
                    shared.log(
                        MessageType::INFO,
                        format!(
                            "indexed {count} planning files in {} in {} ms",
                            path.display(),
                            started.elapsed().as_millis()
                        ),
                    );
                    ws
                }
                Err(panic) => {
                    shared.log(
                        MessageType::ERROR,
                        format!(
                            "indexing {} failed: {}; only open documents are analysed",
                            path.display(),
                            panic_message(&*panic)
                        ),
                    );
                    Workspace::default()
                }
            };
            shared.send(Event::Indexed(Box::new(Indexed {
                root,
                generation,
                ws,
                enclosing,
            })));
        }
        tx.send_replace(Progress {
            done: total,
            total,
            finished: true,
        });
    });
}

fn load(
    job: IndexJob,
    files: Vec<ListedFile>,
    on_progress: &mut (dyn FnMut(usize) + Send),
) -> Workspace {
    // One load for the whole root, so that parsing on every core overlaps
    // the indexing (loading it in small chunks left a core idle while each
    // chunk was indexed, and took twice as long at 100,000 files).
    crate::load::load_listed(
        &job.path,
        files,
        job.config,
        job.config_errors,
        crate::load::TakenNames::Find,
        on_progress,
    )
}

static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// Sends `$/progress` for one indexing run: begin at 0 %, reports at most
/// every 100 ms, end.
async fn report(client: Client, mut rx: watch::Receiver<Progress>) {
    let token = NumberOrString::String(format!(
        "planmark/indexing/{}",
        NEXT_TOKEN.fetch_add(1, Ordering::Relaxed)
    ));
    if let Err(err) = client.create_work_done_progress(token.clone()).await {
        tracing::warn!("the client refused a progress token: {err}");
        return;
    }
    let send = |value: WorkDoneProgress| {
        let client = client.clone();
        let token = token.clone();
        async move {
            client
                .send_notification::<notification::Progress>(ProgressParams {
                    token,
                    value: ProgressParamsValue::WorkDone(value),
                })
                .await;
        }
    };
    send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
        title: "Indexing planning files".into(),
        cancellable: Some(false),
        message: None,
        percentage: Some(0),
    }))
    .await;
    loop {
        let progress = *rx.borrow_and_update();
        if progress.finished {
            break;
        }
        let percentage = (progress.done * 100)
            .checked_div(progress.total)
            .map_or(0, |p| p.min(100) as u32);
        send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(format!("{}/{} files", progress.done, progress.total)),
            percentage: Some(percentage),
        }))
        .await;
        if rx.changed().await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let total = rx.borrow().total;
    send(WorkDoneProgress::End(WorkDoneProgressEnd {
        message: Some(format!("{total} planning files")),
    }))
    .await;
}
