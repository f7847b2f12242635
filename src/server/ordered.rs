//! The ordered layer: a `tower` service around tower-lsp-server's. Its
//! `call` runs in the reader loop, once per message and in wire order, so
//! state-changing notifications are applied right there, before the next
//! message is read (tower-lsp-server runs handlers concurrently and would
//! let a later edit overtake an earlier one). It also answers a panicking
//! handler with an internal error and records `shutdown` and `exit` for
//! the exit code.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::ExitedError;
use tower_service::Service;

use crate::server::diagnostics::panic_message;
use crate::server::handlers;
use crate::server::state::{Phase, Shared};

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

pub(crate) struct Ordered<S> {
    inner: S,
    shared: Arc<Shared>,
    /// `exit` was received; the exit code is 0 when `shutdown` came first.
    pub(crate) exit_received: Arc<std::sync::atomic::AtomicBool>,
}

impl<S> Ordered<S> {
    pub(crate) fn new(inner: S, shared: Arc<Shared>) -> Ordered<S> {
        Ordered {
            inner,
            shared,
            exit_received: Arc::default(),
        }
    }
}

impl<S> Service<Request> for Ordered<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let method = req.method().to_string();
        if req.id().is_none() && handlers::ORDERED.contains(&method.as_str()) {
            if self.shared.lock().phase == Phase::Running {
                let (_, _, params) = req.into_parts();
                let shared = &self.shared;
                let applied = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    handlers::apply_in_order(shared, &method, params)
                }));
                if let Err(panic) = applied {
                    tracing::error!("`{method}` panicked: {}", panic_message(&*panic));
                }
            }
            return Box::pin(std::future::ready(Ok(None)));
        }
        match method.as_str() {
            "shutdown" if req.id().is_some() => {
                let mut state = self.shared.lock();
                if state.phase == Phase::Running {
                    state.phase = Phase::ShutDown;
                    self.shared.shutdown_requested.store(true, Ordering::SeqCst);
                }
            }
            "exit" => self.exit_received.store(true, Ordering::SeqCst),
            _ => {}
        }
        let id = req.id().cloned();
        Box::pin(CatchPanic {
            inner: Box::pin(self.inner.call(req)),
            id,
            method,
        })
    }
}

/// Turns a panic while polling a handler into an internal-error response.
struct CatchPanic<F> {
    inner: Pin<Box<F>>,
    id: Option<Id>,
    method: String,
}

impl<F> Future for CatchPanic<F>
where
    F: Future<Output = Result<Option<Response>, ExitedError>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let inner = &mut this.inner;
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(panic) => {
                let message = format!(
                    "planmark failed while handling `{}`: {}",
                    this.method,
                    panic_message(&*panic)
                );
                tracing::error!("{message}");
                Poll::Ready(Ok(this.id.take().map(|id| {
                    Response::from_error(
                        id,
                        Error {
                            code: ErrorCode::InternalError,
                            message: message.into(),
                            data: None,
                        },
                    )
                })))
            }
        }
    }
}
