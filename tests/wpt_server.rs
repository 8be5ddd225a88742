//! The WPT test peer (`hearth::wpt::server`): one test per route behaviour,
//! over real sockets on 127.0.0.1. The raw-frame client shows exact frames
//! (codes, reasons, a FIN without a Close); tokio-tungstenite is the
//! ordinary client.

#[allow(dead_code)]
#[path = "support/raw_client.rs"]
mod raw_client;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use hearth::wpt::server::WptServer;
use raw_client::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::{self, protocol::frame::coding::CloseCode};

async fn start() -> (WptServer, SocketAddr) {
    let server = WptServer::start().await.unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], server.port()));
    (server, addr)
}

/// A plain HTTP/1.1 GET (no upgrade); the whole response as text.
async fn http_get(addr: SocketAddr, path: &str) -> String {
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(WAIT, tcp.read_to_end(&mut response))
        .await
        .unwrap()
        .unwrap();
    String::from_utf8(response).unwrap()
}

/// The value of a response-head header, by case-insensitive name.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

async fn expect_close(client: &mut RawClient, expected: Option<(u16, &str)>) {
    let frame = client.read().await;
    assert_eq!(frame.opcode, CLOSE, "{frame:?}");
    assert_eq!(
        frame.close_code_reason(),
        expected.map(|(c, r)| (c, r.to_owned()))
    );
}

// ---- /echo ----

#[tokio::test]
async fn echo_returns_text_as_text_and_binary_as_binary() {
    let (server, addr) = start().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/echo"))
        .await
        .unwrap();
    ws.send(tungstenite::Message::text("héllo")).await.unwrap();
    ws.send(tungstenite::Message::binary(vec![0u8, 1, 2, 255]))
        .await
        .unwrap();
    ws.send(tungstenite::Message::text("")).await.unwrap();
    let mut got = vec![];
    for _ in 0..3 {
        got.push(ws.next().await.unwrap().unwrap());
    }
    assert_eq!(
        got,
        [
            tungstenite::Message::text("héllo"),
            tungstenite::Message::binary(vec![0u8, 1, 2, 255]),
            tungstenite::Message::text(""),
        ]
    );
    ws.close(None).await.unwrap();
    server.shutdown().await;
}

#[tokio::test]
async fn echo_selects_the_echo_subprotocol_when_offered() {
    let (server, addr) = start().await;
    let c = RawClient::request(addr, "/echo", &["Sec-WebSocket-Protocol: chat, echo"]).await;
    assert!(
        c.response_head.starts_with("HTTP/1.1 101"),
        "{}",
        c.response_head
    );
    assert_eq!(
        header(&c.response_head, "Sec-WebSocket-Protocol"),
        Some("echo")
    );
    drop(c);
    server.shutdown().await;
}

#[tokio::test]
async fn echo_selects_no_subprotocol_when_echo_is_not_offered() {
    let (server, addr) = start().await;
    for offered in [&["Sec-WebSocket-Protocol: chat, Echo"][..], &[]] {
        let c = RawClient::request(addr, "/echo", offered).await;
        assert!(
            c.response_head.starts_with("HTTP/1.1 101"),
            "{}",
            c.response_head
        );
        assert_eq!(header(&c.response_head, "Sec-WebSocket-Protocol"), None);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn echo_answers_a_close_with_the_same_code_and_reason() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/echo").await;
    c.send_close(Some((4001, "bye now"))).await;
    expect_close(&mut c, Some((4001, "bye now"))).await;
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn echo_answers_an_empty_close_with_an_empty_close() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/echo").await;
    c.send_close(None).await;
    expect_close(&mut c, None).await;
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn echo_goodbye_is_echoed_then_the_server_closes_with_1000() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/echo").await;
    c.send_text("Goodbye").await;
    let echoed = c.read().await;
    assert_eq!(
        (echoed.opcode, echoed.payload.as_slice()),
        (TEXT, &b"Goodbye"[..])
    );
    expect_close(&mut c, Some((1000, ""))).await;
    // The server waits for our Close before it ends TCP.
    c.expect_quiet().await;
    c.send_close(Some((1000, ""))).await;
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn echo_binary_goodbye_does_not_close() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/echo").await;
    c.send(BINARY, b"Goodbye").await;
    let echoed = c.read().await;
    assert_eq!(
        (echoed.opcode, echoed.payload.as_slice()),
        (BINARY, &b"Goodbye"[..])
    );
    c.expect_quiet().await;
    drop(c);
    server.shutdown().await;
}

// ---- /remote-close ----

#[tokio::test]
async fn remote_close_sends_the_code_and_reason_then_waits_for_the_client() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/remote-close?code=4000&reason=robot").await;
    expect_close(&mut c, Some((4000, "robot"))).await;
    c.expect_quiet().await;
    c.send_close(Some((4000, "robot"))).await;
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn remote_close_decodes_a_percent_encoded_utf8_reason() {
    let (server, addr) = start().await;
    let path = "/remote-close?code=4000&reason=%E3%83%AD%E3%83%9C%E3%83%83%E3%83%88";
    let mut c = RawClient::connect_path(addr, path).await;
    expect_close(&mut c, Some((4000, "ロボット"))).await;
    drop(c);
    server.shutdown().await;
}

#[tokio::test]
async fn remote_close_without_a_code_sends_an_empty_close() {
    let (server, addr) = start().await;
    // remote-close_wsh.py reads the reason only when there is a code.
    let mut c = RawClient::connect_path(addr, "/remote-close?reason=ignored").await;
    expect_close(&mut c, None).await;
    c.send_close(None).await;
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn remote_close_is_seen_by_a_standard_client() {
    let (server, addr) = start().await;
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/remote-close?code=1000&reason=Done"))
            .await
            .unwrap();
    match ws.next().await.unwrap().unwrap() {
        tungstenite::Message::Close(Some(f)) => {
            assert_eq!((f.code, f.reason.as_str()), (CloseCode::Normal, "Done"));
        }
        other => panic!("expected a Close, got {other:?}"),
    }
    // tungstenite answers the Close itself; the stream then ends cleanly.
    assert!(ws.next().await.is_none());
    server.shutdown().await;
}

#[tokio::test]
async fn remote_close_abrupt_ends_tcp_without_a_close_frame() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/remote-close?abrupt=1").await;
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn remote_close_drops_a_client_that_never_answers() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/remote-close?code=1000").await;
    expect_close(&mut c, Some((1000, ""))).await;
    // No Close from us: the server gives up after CLOSE_WAIT (< WAIT).
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn remote_close_refuses_a_code_that_cannot_be_sent() {
    let (server, addr) = start().await;
    for query in ["code=1005", "code=999", "code=x"] {
        let c = RawClient::request(addr, &format!("/remote-close?{query}"), &[]).await;
        assert!(
            c.response_head.starts_with("HTTP/1.1 400"),
            "{query}: {}",
            c.response_head
        );
    }
    server.shutdown().await;
}

// ---- /delayed-passive-close ----

#[tokio::test]
async fn delayed_passive_close_answers_after_a_second_with_the_same_code_and_reason() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/delayed-passive-close").await;
    let sent = Instant::now();
    c.send_close(Some((4002, "later"))).await;
    expect_close(&mut c, Some((4002, "later"))).await;
    let elapsed = sent.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900),
        "answered after {elapsed:?}"
    );
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn delayed_passive_close_answers_an_empty_close_with_an_empty_close() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/delayed-passive-close").await;
    let sent = Instant::now();
    c.send_close(None).await;
    expect_close(&mut c, None).await;
    assert!(sent.elapsed() >= Duration::from_millis(900));
    c.expect_eof().await;
    server.shutdown().await;
}

#[tokio::test]
async fn delayed_passive_close_closes_with_1000_after_a_message() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/delayed-passive-close").await;
    c.send_text("hi").await;
    expect_close(&mut c, Some((1000, ""))).await;
    c.send_close(Some((1000, ""))).await;
    c.expect_eof().await;
    server.shutdown().await;
}

// ---- /handshake_no_extensions ----

#[tokio::test]
async fn handshake_no_extensions_negotiates_none_and_closes_with_1000() {
    let (server, addr) = start().await;
    let offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
    let mut c = RawClient::request(addr, "/handshake_no_extensions", &[offer]).await;
    assert!(
        c.response_head.starts_with("HTTP/1.1 101"),
        "{}",
        c.response_head
    );
    assert_eq!(header(&c.response_head, "Sec-WebSocket-Extensions"), None);
    // The handler's transfer_data is `pass`: pywebsocket closes at once.
    expect_close(&mut c, Some((1000, ""))).await;
    c.send_close(None).await;
    c.expect_eof().await;
    server.shutdown().await;
}

// ---- /receive-many-with-backpressure ----

#[tokio::test]
async fn receive_many_with_backpressure_answers_each_length_one_read_per_100ms() {
    let (server, addr) = start().await;
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/receive-many-with-backpressure"))
            .await
            .unwrap();
    let started = Instant::now();
    for _ in 0..4 {
        ws.send(tungstenite::Message::binary(vec![0u8; 65536]))
            .await
            .unwrap();
    }
    // Python's len(): characters of a text message, not bytes.
    ws.send(tungstenite::Message::text("héllo")).await.unwrap();
    let mut got = vec![];
    for _ in 0..5 {
        got.push(
            ws.next()
                .await
                .unwrap()
                .unwrap()
                .into_text()
                .unwrap()
                .as_str()
                .to_owned(),
        );
    }
    assert_eq!(got, ["65536", "65536", "65536", "65536", "5"]);
    // Five reads, each after a 100 ms sleep; at least four sleeps began
    // after `started` (each after the previous read).
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    ws.close(None).await.unwrap();
    server.shutdown().await;
}

#[tokio::test]
async fn receive_many_with_backpressure_answers_a_close_with_1000() {
    let (server, addr) = start().await;
    let mut c = RawClient::connect_path(addr, "/receive-many-with-backpressure").await;
    // pywebsocket's default passive handler: 1000, empty reason, not an echo.
    c.send_close(Some((4003, "x"))).await;
    expect_close(&mut c, Some((1000, ""))).await;
    c.expect_eof().await;
    server.shutdown().await;
}

// ---- HTTP ----

#[tokio::test]
async fn unknown_paths_are_404() {
    let (server, addr) = start().await;
    let c = RawClient::request(addr, "/nope", &[]).await;
    assert!(
        c.response_head.starts_with("HTTP/1.1 404"),
        "{}",
        c.response_head
    );
    // A near miss, and WPT's file name, are not routes either.
    for path in ["/echo/", "/echo_wsh.py", "/websockets/handlers/echo_wsh"] {
        let response = http_get(addr, path).await;
        assert!(response.starts_with("HTTP/1.1 404"), "{path}: {response}");
        assert!(
            response.contains("No WPT WebSocket handler at"),
            "{response}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_plain_get_to_a_route_is_426() {
    let (server, addr) = start().await;
    let response = http_get(addr, "/echo").await;
    assert!(response.starts_with("HTTP/1.1 426"), "{response}");
    assert_eq!(header(&response, "Upgrade"), Some("websocket"));
    assert!(
        response.contains("/echo is a WebSocket endpoint"),
        "{response}"
    );
    server.shutdown().await;
}

// ---- shutdown ----

#[tokio::test]
async fn shutdown_closes_open_sockets_with_1001() {
    let (server, addr) = start().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/echo"))
        .await
        .unwrap();
    // A round trip: the socket is open on the server before shutdown.
    ws.send(tungstenite::Message::text("x")).await.unwrap();
    ws.next().await.unwrap().unwrap();
    let shutdown = tokio::spawn(server.shutdown());
    match ws.next().await.unwrap().unwrap() {
        tungstenite::Message::Close(Some(f)) => assert_eq!(f.code, CloseCode::Away),
        other => panic!("expected a Close, got {other:?}"),
    }
    assert!(ws.next().await.is_none());
    tokio::time::timeout(WAIT, shutdown).await.unwrap().unwrap();
}
