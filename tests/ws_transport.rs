//! The network transport beyond the close rules: outgoing connections,
//! interop with a standard client, backpressure, handshake errors, shutdown.

mod support;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use hearth::ws::{Event, Message, WsConfig, net};
use support::*;
use tokio::io::AsyncWriteExt;
use tokio_tungstenite::tungstenite;

#[tokio::test]
async fn outgoing_connection_opens_round_trips_and_closes() {
    let mut srv = TestServer::start(
        true,
        Script {
            echo: true,
            ..Default::default()
        },
    )
    .await;
    let url = format!("ws://{}/chat?room=1", srv.addr);
    let ws = net::connect(&url, &[], WsConfig::current(true)).unwrap();
    assert_eq!(
        ws.ready_state() as u8,
        0,
        "CONNECTING until the handshake is done"
    );
    assert_eq!(
        ws.send(Message::Text("early".into()))
            .unwrap_err()
            .to_string(),
        "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state."
    );
    assert_eq!(ws.next_event().await, Some(Event::Open));
    assert_eq!(ws.ready_state() as u8, 1);
    assert_eq!(ws.info().url.as_deref(), Some(url.as_str()));
    ws.send(Message::Text("hello".into())).unwrap();
    assert_eq!(
        ws.next_event().await,
        Some(Event::Message(Message::Text("hello".into())))
    );
    ws.close(Some(1000), Some("done")).unwrap();
    assert_eq!(ws.next_event().await, Some(close_event(1000, "done", true)));
    assert_eq!(ws.ready_state() as u8, 3);
    assert_eq!(srv.close_event().await, (1000, "done".into(), true, 3));
}

#[tokio::test]
async fn outgoing_connection_failure_is_error_then_1006() {
    // A port with nothing listening: bind, learn the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ws = net::connect(
        &format!("ws://127.0.0.1:{port}/"),
        &[],
        WsConfig::current(true),
    )
    .unwrap();
    assert!(matches!(ws.next_event().await, Some(Event::Error { .. })));
    assert!(matches!(
        ws.next_event().await,
        Some(Event::Close {
            code: 1006,
            was_clean: false,
            ..
        })
    ));
    assert_eq!(ws.ready_state() as u8, 3);
    let err = net::connect("wss://127.0.0.1/", &[], WsConfig::current(true)).unwrap_err();
    assert!(err.to_string().contains("'wss' is not supported"), "{err}");
    assert!(net::connect("not a url", &[], WsConfig::current(true)).is_err());
}

#[tokio::test]
async fn a_standard_client_interoperates() {
    let mut srv = TestServer::start(
        true,
        Script {
            echo: true,
            ..Default::default()
        },
    )
    .await;
    let (mut client, _) = tokio_tungstenite::connect_async(format!("ws://{}/", srv.addr))
        .await
        .unwrap();
    client
        .send(tungstenite::Message::text("interop"))
        .await
        .unwrap();
    assert_eq!(
        client.next().await.unwrap().unwrap(),
        tungstenite::Message::text("interop")
    );
    client.close(None).await.unwrap();
    // tungstenite reports our echo of its Close, then the end of the stream.
    while let Some(msg) = client.next().await {
        if let Ok(tungstenite::Message::Close(_)) | Err(_) = msg {
            break;
        }
    }
    assert_eq!(srv.close_event().await.0, 1005);
}

#[tokio::test]
async fn a_flooding_peer_is_held_back_until_the_script_reads() {
    let mut srv = TestServer::start(true, Script::accepting_later()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let ws = srv.socket().await;
    let chunk = vec![7u8; 64 << 10];
    let limit = 256usize << 20;
    let mut sent = 0usize;
    // Without backpressure hearth would swallow all 256 MiB into memory.
    while sent < limit {
        let mut frame = vec![0x82, 0xFF];
        frame.extend_from_slice(&(chunk.len() as u64).to_be_bytes());
        frame.extend_from_slice(&[0, 0, 0, 0]); // zero mask
        frame.extend_from_slice(&chunk);
        match tokio::time::timeout(QUIET, client.tcp.write_all(&frame)).await {
            Ok(r) => r.unwrap(),
            Err(_) => break, // the write stalled: hearth stopped reading
        }
        sent += chunk.len();
    }
    assert!(sent < limit, "hearth read everything: no backpressure");
    // Once the script takes the messages, every one arrives, in order.
    ws.accept(false).unwrap();
    let mut received = 0usize;
    while received < sent {
        match srv.record().await {
            Record::Event {
                event: Event::Message(m),
                ..
            } => received += m.len(),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn buffered_amount_counts_what_a_slow_peer_has_not_taken() {
    let mut srv = TestServer::start(true, Script::default()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let ws = srv.socket().await;
    let payload = bytes::Bytes::from(vec![1u8; 1 << 20]);
    for _ in 0..32 {
        ws.send(Message::Binary(payload.clone())).unwrap();
    }
    assert!(
        ws.buffered_amount() > 0,
        "32 MiB cannot all be on the wire at once"
    );
    let mut got = 0;
    while got < 32 << 20 {
        got += client.read().await.payload.len();
    }
    assert_eq!(ws.buffered_amount(), 0);
}

#[tokio::test]
async fn bad_upgrade_requests_get_400_and_plain_requests_426() {
    let srv = TestServer::start(true, Script::default()).await;
    let c = RawClient::request(srv.addr, "/", &["Sec-WebSocket-Version: 8"]).await;
    // The second version header makes the request ambiguous: only 13 is
    // accepted, and the answer says so (RFC 6455 §4.2.2).
    assert!(
        c.response_head.starts_with("HTTP/1.1 426"),
        "{}",
        c.response_head
    );
    assert!(
        c.response_head
            .to_ascii_lowercase()
            .contains("sec-websocket-version: 13"),
        "{}",
        c.response_head
    );
    let c = RawClient::request(srv.addr, "/", &["Sec-WebSocket-Key: short"]).await;
    assert!(
        c.response_head.starts_with("HTTP/1.1 400"),
        "{}",
        c.response_head
    );
    let mut tcp = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
    tcp.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut body = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut tcp, &mut body)
        .await
        .unwrap();
    assert!(body.starts_with("HTTP/1.1 426"), "{body}");
    assert!(body.ends_with("Expected Upgrade: websocket"), "{body}");
}

#[tokio::test]
async fn shutdown_closes_open_sockets_with_1001() {
    let mut srv = TestServer::start(true, Script::default()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let addr = srv.addr;
    srv.socket().await;
    let server = srv.server;
    assert_eq!(server.open_sockets(), 1);
    let shutdown = tokio::spawn(server.shutdown());
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1001, "Server is shutting down.".into()))
    );
    client.send_close(Some((1001, ""))).await;
    client.expect_eof().await;
    tokio::time::timeout(Duration::from_secs(10), shutdown)
        .await
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn close_while_connecting_fails_the_connection() {
    let srv = TestServer::start(true, Script::default()).await;
    let ws = net::connect(&format!("ws://{}/", srv.addr), &[], WsConfig::current(true)).unwrap();
    ws.close(Some(1000), None).unwrap();
    // WHATWG: error, then close 1006; no Open ever.
    assert!(matches!(ws.next_event().await, Some(Event::Error { .. })));
    assert!(matches!(
        ws.next_event().await,
        Some(Event::Close {
            code: 1006,
            was_clean: false,
            ..
        })
    ));
    assert_eq!(ws.next_event().await, None);
}

#[tokio::test]
async fn a_pair_end_adopted_by_the_network_keeps_its_machine_and_queue() {
    use hearth::server::{Reply, Server};
    use std::sync::Arc;
    // The "script" keeps `server_end`, says hello before the upgrade, and
    // hands the other end to the server, like a Worker's 101 response.
    let (ends_tx, mut ends_rx) = tokio::sync::mpsc::unbounded_channel();
    let app = Arc::new(move |_req| {
        let ends_tx = ends_tx.clone();
        async move {
            let (client_end, server_end) = hearth::ws::pair(WsConfig::current(true));
            server_end.accept(false).unwrap();
            server_end
                .send(Message::Text("hello before upgrade".into()))
                .unwrap();
            ends_tx.send(server_end).unwrap();
            Reply::Adopt {
                client: client_end,
                protocol: None,
            }
        }
    });
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), app, WsConfig::current(true))
        .await
        .unwrap();
    let mut client = RawClient::connect(server.local_addr()).await;
    let server_end = ends_rx.recv().await.unwrap();
    let hello = client.read().await;
    assert_eq!(
        (hello.opcode, hello.payload.as_slice()),
        (TEXT, &b"hello before upgrade"[..])
    );
    client.send_text("from the network").await;
    assert_eq!(
        server_end.next_event().await,
        Some(Event::Message(Message::Text("from the network".into())))
    );
    server_end
        .send(Message::Text("after upgrade".into()))
        .unwrap();
    assert_eq!(client.read().await.payload, b"after upgrade");
    // The script's end answers the peer's Close itself (auto mode), then FIN.
    client.send_close(Some((1000, "bye"))).await;
    assert_eq!(
        server_end.next_event().await,
        Some(close_event(1000, "bye", true))
    );
    assert_eq!(server_end.ready_state() as u8, 3);
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1000, "bye".into()))
    );
    client.expect_eof().await;
}

#[tokio::test]
async fn shutdown_closes_adopted_sockets_with_1001() {
    use hearth::server::{Reply, Server};
    use std::sync::Arc;
    let (ends_tx, mut ends_rx) = tokio::sync::mpsc::unbounded_channel();
    let app = Arc::new(move |_req| {
        let ends_tx = ends_tx.clone();
        async move {
            let (client_end, server_end) = hearth::ws::pair(WsConfig::current(true));
            server_end.accept(false).unwrap();
            ends_tx.send(server_end).unwrap();
            Reply::Adopt {
                client: client_end,
                protocol: None,
            }
        }
    });
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), app, WsConfig::current(true))
        .await
        .unwrap();
    let mut client = RawClient::connect(server.local_addr()).await;
    let server_end = ends_rx.recv().await.unwrap();
    // The handshake is complete once a message crosses.
    client.send_text("ping").await;
    assert!(matches!(
        server_end.next_event().await,
        Some(Event::Message(_))
    ));
    // The script's event loop keeps running: it processes the peer's reply.
    tokio::spawn(async move { while server_end.next_event().await.is_some() {} });
    let shutdown = tokio::spawn(server.shutdown());
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1001, "Server is shutting down.".into()))
    );
    client.send_close(Some((1001, ""))).await;
    client.expect_eof().await;
    drop(client);
    tokio::time::timeout(std::time::Duration::from_secs(10), shutdown)
        .await
        .unwrap()
        .unwrap();
}
