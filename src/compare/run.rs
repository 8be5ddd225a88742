//! One side of a comparison: the target run once under one flag list, its
//! trace recorded.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::client;
use super::script::ClientScript;
use crate::compat::ResolvedFlags;
use crate::runtime::trace::{TraceEntry, TraceSink};
use crate::runtime::{Worker, WorkerOptions};
use crate::server::{Server, WorkerApp};
use crate::ws::WsConfig;

/// Serve the worker on 127.0.0.1, drive `script` against it, wait until the
/// worker has dispatched everything the exchange caused (bounded by
/// `wait`), and return the trace: the worker's events, frames and console
/// output and the client's frames.
pub fn worker(
    main: &Path,
    flags: &ResolvedFlags,
    vars: &std::collections::BTreeMap<String, serde_json::Value>,
    script: &ClientScript,
    wait: Duration,
) -> Result<Vec<TraceEntry>, String> {
    let sink = TraceSink::default();
    let mut options = WorkerOptions::new(main.to_owned(), flags.clone());
    options.vars = vars.clone();
    options.trace = Some(sink.clone());
    let worker = Arc::new(Worker::start(options).map_err(|e| e.to_string())?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let driven = runtime.block_on(async {
        let app = Arc::new(WorkerApp::new(worker.clone(), false));
        let addr = "127.0.0.1:0".parse().expect("a valid address");
        let server = Server::bind(addr, app, WsConfig::from_resolved(flags))
            .await
            .map_err(|e| format!("could not listen on 127.0.0.1: {e}"))?;
        let url = format!("ws://{}", server.local_addr());
        let driven = client::drive(&url, script, wait, &sink).await;
        // The client is done; let the worker finish dispatching (a close
        // handler may still be logging), but not forever.
        let _ = tokio::time::timeout(wait, worker.settled()).await;
        server.shutdown().await;
        driven
    });
    driven.map(|()| sink.entries())
}
