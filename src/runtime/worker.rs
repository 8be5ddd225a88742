//! [`Worker`]: a worker script running on a thread of its own. The server
//! talks to it through a channel; a request waits for its response.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use super::errors::JsError;
use super::js_runtime::JsRuntime;
use super::trace::TraceSink;
use crate::compat::ResolvedFlags;
use crate::ws::WebSocket;

/// What a worker runs and under which limits.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The module with `export default { fetch }`.
    pub main: PathBuf,
    pub flags: ResolvedFlags,
    /// `[vars]`, passed as `env`.
    pub vars: BTreeMap<String, serde_json::Value>,
    /// CPU time one task (a request, a timer, an event) may use.
    pub cpu_limit: Duration,
    /// V8 heap limit in bytes.
    pub heap_limit: usize,
    /// Record console output (instead of printing it) and every socket's
    /// events and frames here (`hearth compare`).
    pub trace: Option<TraceSink>,
}

impl WorkerOptions {
    pub const DEFAULT_CPU_LIMIT: Duration = Duration::from_secs(30);
    pub const DEFAULT_HEAP_LIMIT: usize = 128 << 20;

    pub fn new(main: PathBuf, flags: ResolvedFlags) -> Self {
        WorkerOptions {
            main,
            flags,
            vars: BTreeMap::new(),
            cpu_limit: Self::DEFAULT_CPU_LIMIT,
            heap_limit: Self::DEFAULT_HEAP_LIMIT,
            trace: None,
        }
    }
}

/// Why a worker did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("Cannot read {}: {error}", path.display())]
    Read { path: PathBuf, error: String },
    #[error("{0}")]
    Module(JsError),
    #[error("hearth's JavaScript glue failed: {0}")]
    Glue(JsError),
    #[error(
        "{} has no default export with a fetch() handler; a module worker looks like: export default {{ async fetch(request, env, ctx) {{ ... }} }}",
        main.display()
    )]
    NoFetchHandler { main: PathBuf },
    #[error("could not start the worker thread: {0}")]
    Thread(String),
    #[error("{0}")]
    Limit(String),
}

/// Why a request got no response from the script.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("Uncaught {0}")]
    Exception(JsError),
    #[error("Worker exceeded CPU time limit.")]
    CpuLimit,
    #[error("Worker exceeded memory limit.")]
    MemoryLimit,
    #[error("The worker is not running.")]
    Gone,
    /// The handler's promise can never settle: nothing is left to run.
    #[error("The script will never generate a response.")]
    NeverResponds,
}

/// A request as the worker receives it.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// The script's response. `web_socket` is the pair end of a 101 response.
#[derive(Debug)]
pub struct FetchResponse {
    pub status: u16,
    pub status_text: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub web_socket: Option<WebSocket>,
}

pub(crate) enum Command {
    Fetch(
        FetchRequest,
        oneshot::Sender<Result<FetchResponse, FetchError>>,
    ),
    /// Answer once no request, socket or queued task is left.
    Settled(oneshot::Sender<()>),
}

/// A running worker. Dropping it stops the thread.
pub struct Worker {
    commands: mpsc::UnboundedSender<Command>,
}

impl Worker {
    /// Start the worker and wait until its module has loaded, so that a
    /// syntax error stops start-up with its location.
    pub fn start(options: WorkerOptions) -> Result<Worker, StartError> {
        let (commands, rx) = mpsc::unbounded_channel();
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("hearth-worker".into())
            .spawn(move || run_thread(options, rx, started_tx))
            .map_err(|e| StartError::Thread(e.to_string()))?;
        started_rx
            .recv()
            .map_err(|_| StartError::Thread("the worker thread died".into()))??;
        Ok(Worker { commands })
    }

    /// Run the script's `fetch` handler for `request`.
    pub async fn fetch(&self, request: FetchRequest) -> Result<FetchResponse, FetchError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(Command::Fetch(request, tx))
            .map_err(|_| FetchError::Gone)?;
        rx.await.map_err(|_| FetchError::Gone)?
    }

    /// Resolves once the worker has nothing left to do but timers: no
    /// request waits, no WebSocket is open, no task is queued (every event
    /// has been dispatched). `hearth compare` waits for it before reading a
    /// trace.
    pub async fn settled(&self) {
        let (tx, rx) = oneshot::channel();
        if self.commands.send(Command::Settled(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

fn run_thread(
    options: WorkerOptions,
    commands: mpsc::UnboundedReceiver<Command>,
    started: std::sync::mpsc::Sender<Result<(), StartError>>,
) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = started.send(Err(StartError::Thread(e.to_string())));
            return;
        }
    };
    let local = tokio::task::LocalSet::new();
    // A panic here is a hearth bug; a server whose worker is gone would
    // only answer 500 forever, so the process ends instead.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        local.block_on(&rt, async move {
            let mut runtime = match JsRuntime::new(&options) {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = started.send(Err(e));
                    return;
                }
            };
            let _ = started.send(Ok(()));
            runtime.run(commands).await;
        })
    }));
    if outcome.is_err() {
        eprintln!("error: hearth bug: the worker thread panicked; stopping");
        std::process::exit(70);
    }
}
