//! One side of a comparison: the target run once under one flag list, its
//! trace recorded.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::client;
use super::script::ClientScript;
use crate::compat::ResolvedFlags;
use crate::runtime::trace::{TraceEntry, TraceSink};
use crate::runtime::{Worker, WorkerOptions, run_scripts};
use crate::server::{Server, WorkerApp};
use crate::wpt::plan::{self, PlanOptions, Work};
use crate::wpt::server::WptServer;
use crate::wpt::{discover, suite};
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

/// Run a test file as `hearth test` would (its META helpers, variants and
/// the WebSocket test server), tracing each run; the subtest results and
/// the harness status close each run's trace.
pub fn test(path: &Path, flags: &ResolvedFlags) -> Result<Vec<TraceEntry>, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let files = discover::discover(&[path.to_owned()], &cwd, None)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let server = runtime
        .block_on(WptServer::start())
        .map_err(|e| format!("could not start the WebSocket test server: {e}"))?;
    let options = PlanOptions::new(
        flags.clone(),
        server.port(),
        suite::DEFAULT_TIMEOUT,
        WorkerOptions::DEFAULT_HEAP_LIMIT,
        cwd,
    );
    let mut trace = vec![];
    for file in &files {
        let (runs, _warnings) = plan::plan_file(file, &options);
        for run in runs {
            let name = run.name();
            match run.work {
                Work::Scripts(mut script) => {
                    script.trace = true;
                    let outcome = run_scripts(*script);
                    trace.extend(outcome.trace);
                    let report = outcome.report;
                    for t in report.tests {
                        trace.push(TraceEntry::Test {
                            name: Some(t.name),
                            status: t.status.as_str().into(),
                            message: t.message,
                        });
                    }
                    trace.push(TraceEntry::Test {
                        name: None,
                        status: report.status.as_str().into(),
                        message: report.message,
                    });
                }
                Work::Skip(why) => return Err(format!("{name}: skipped: {why}")),
                Work::Error(e) => return Err(e),
            }
        }
    }
    runtime.block_on(server.shutdown());
    Ok(trace)
}
