//! [`WorkerApp`]: the bridge from the server to a [`Worker`] (`hearth run`,
//! `hearth compare`).

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Response, StatusCode};
use http_body_util::Full;

use super::{App, BoxFuture, Reply, Request};
use crate::runtime::{FetchRequest, Worker};

/// Serves a [`Worker`]: each request is a `fetch`, a 101 response with a
/// `webSocket` completes the upgrade with the script's pair end.
pub struct WorkerApp {
    worker: Arc<Worker>,
    /// Print `wrangler dev`-style lines (`GET / 200 OK (2ms)`, errors).
    log: bool,
}

impl WorkerApp {
    pub fn new(worker: Arc<Worker>, log: bool) -> Self {
        WorkerApp { worker, log }
    }
}

impl App for WorkerApp {
    fn call(&self, request: Request) -> BoxFuture<Reply> {
        let worker = self.worker.clone();
        let log = self.log;
        Box::pin(async move {
            let started = Instant::now();
            let method = request.head.method.to_string();
            let path = request
                .head
                .uri
                .path_and_query()
                .map_or("/".into(), |p| p.to_string());
            let host = request
                .head
                .headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let fetch = FetchRequest {
                method: method.clone(),
                url: format!("http://{host}{path}"),
                headers: request
                    .head
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: request.body,
            };
            let (status, reply) = match worker.fetch(fetch).await {
                Ok(response) => match response.web_socket {
                    Some(client) if response.status == 101 => {
                        let protocol = response
                            .headers
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("sec-websocket-protocol"))
                            .map(|(_, v)| v.clone());
                        (101, Reply::Adopt { client, protocol })
                    }
                    _ => (
                        response.status,
                        Reply::Http(to_http(response.status, &response.headers, response.body)),
                    ),
                },
                Err(e) => {
                    if log {
                        eprintln!("✘ {method} {path}: {e}");
                    }
                    (
                        500,
                        Reply::text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
                    )
                }
            };
            let reason = StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            if log {
                println!(
                    "{method} {path} {status} {reason} ({}ms)",
                    started.elapsed().as_millis()
                );
            }
            reply
        })
    }
}

fn to_http(status: u16, headers: &[(String, String)], body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            response.headers_mut().append(k, v);
        }
    }
    response
}
