//! The WebSocket load client both echo benchmarks use: N connections,
//! each doing sequential round trips, every echo checked byte for byte.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

pub struct LoadResult {
    pub per_sec: f64,
    pub p50: u128,
    pub p99: u128,
}

pub async fn load(port: u16, conns: usize, rounds: usize, size: usize) -> LoadResult {
    let url = format!("ws://127.0.0.1:{port}/");
    let start = Instant::now();
    let tasks: Vec<_> = (0..conns)
        .map(|conn| {
            let url = url.clone();
            // Distinct bytes per connection; the first 8 carry the round number.
            let mut payload: Vec<u8> = (0..size).map(|i| (i * 31 + conn * 7) as u8).collect();
            tokio::spawn(async move {
                let (mut ws, _) = tokio_tungstenite::connect_async(&url)
                    .await
                    .expect("connect");
                let mut lat = Vec::with_capacity(rounds);
                for round in 0..rounds {
                    let n = payload.len().min(8);
                    payload[..n].copy_from_slice(&(round as u64).to_le_bytes()[..n]);
                    let t = Instant::now();
                    ws.send(Message::binary(payload.clone())).await.unwrap();
                    loop {
                        match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
                            Ok(Some(Ok(Message::Binary(b)))) => {
                                assert!(b[..] == payload[..], "echo differs from what was sent");
                                break;
                            }
                            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                            other => panic!("echo failed: {other:?}"),
                        }
                    }
                    lat.push(t.elapsed().as_micros());
                }
                let _ = ws.close(None).await;
                lat
            })
        })
        .collect();
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    LoadResult {
        per_sec: all.len() as f64 / elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
    }
}

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn human(size: usize) -> String {
    match size {
        s if s >= 1 << 10 => format!("{} KiB", s >> 10),
        s => format!("{s} B"),
    }
}
