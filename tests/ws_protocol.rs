//! RFC 6455 rules for what the peer sends (the contract's divergence list):
//! hearth fails the connection with the right code instead of echoing.

mod support;

use hearth::ws::{Event, Message, WsConfig};
use support::*;

/// Send `bad`, then expect a Close with `code`, a FIN, and an error event then
/// one close event with that code and `wasClean` false, in every mode (flag
/// on/off, allowHalfOpen or not).
async fn expect_failure(code: u16, bad: impl AsyncFn(&mut RawClient)) {
    for (flag, half_open) in [(true, false), (true, true), (false, false), (false, true)] {
        let case = format!("flag={flag} allowHalfOpen={half_open}");
        let mut srv = TestServer::start(
            flag,
            Script {
                half_open,
                ..Default::default()
            },
        )
        .await;
        let mut client = RawClient::connect(srv.addr).await;
        bad(&mut client).await;
        let reply = client.read().await;
        assert_eq!(
            reply.close_code_reason().map(|(c, _)| c),
            Some(code),
            "{case}"
        );
        assert!(reply.payload.len() <= 125);
        client.expect_eof().await;
        let records = srv.until_close().await;
        let n = records.len();
        assert!(
            matches!(
                &records[n - 2],
                Record::Event {
                    event: Event::Error { .. },
                    ready_state: 3
                }
            ),
            "{case}: {records:?}"
        );
        match &records[n - 1] {
            Record::Event {
                event:
                    Event::Close {
                        code: c,
                        was_clean: false,
                        ..
                    },
                ready_state: 3,
            } => {
                assert_eq!(*c, code, "{case}")
            }
            other => panic!("{case}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn close_codes_not_allowed_on_the_wire_fail_with_1002() {
    for code in [
        0u16, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
    ] {
        expect_failure(1002, async |c: &mut RawClient| {
            c.send(CLOSE, &close_payload(code, b"x")).await
        })
        .await;
    }
}

#[tokio::test]
async fn allowed_wire_codes_are_echoed() {
    for code in [
        1000u16, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999,
    ] {
        let mut srv = TestServer::start(true, Script::default()).await;
        let mut client = RawClient::connect(srv.addr).await;
        client.send(CLOSE, &close_payload(code, b"r")).await;
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((code, "r".into())),
            "code {code}"
        );
        assert_eq!(srv.close_event().await, (code, "r".into(), true, 3));
    }
}

#[tokio::test]
async fn malformed_close_payloads() {
    expect_failure(1002, async |c: &mut RawClient| c.send(CLOSE, &[0x03]).await).await;
    expect_failure(1007, async |c: &mut RawClient| {
        c.send(CLOSE, &close_payload(1000, &[0xff, 0xfe])).await
    })
    .await;
}

#[tokio::test]
async fn invalid_utf8_text_fails_with_1007_as_fragments_arrive() {
    expect_failure(1007, async |c: &mut RawClient| {
        c.send(TEXT, &[b'o', b'k', 0xC3, 0x28]).await
    })
    .await;
    // The first fragment is already impossible UTF-8: no need to wait for the end.
    expect_failure(1007, async |c: &mut RawClient| {
        c.send_frame(false, 0, TEXT, &[0xF8, 0x88], true).await
    })
    .await;
    // A message that ends in the middle of a character fails at its last fragment.
    expect_failure(1007, async |c: &mut RawClient| {
        c.send_frame(false, 0, TEXT, b"ok", true).await;
        c.send_frame(true, 0, CONTINUATION, &"€".as_bytes()[..2], true)
            .await;
    })
    .await;
    // A character cut in the middle of the message is fine across fragments.
    let mut srv = TestServer::start(
        true,
        Script {
            echo: true,
            ..Default::default()
        },
    )
    .await;
    let mut client = RawClient::connect(srv.addr).await;
    let snow = "☃".as_bytes();
    client.send_frame(false, 0, TEXT, &snow[..1], true).await;
    client
        .send_frame(false, 0, CONTINUATION, &snow[1..2], true)
        .await;
    client
        .send_frame(true, 0, CONTINUATION, &snow[2..], true)
        .await;
    assert_eq!(
        srv.record().await,
        Record::Event {
            event: Event::Message(Message::Text("☃".into())),
            ready_state: 1
        }
    );
    assert_eq!(client.read().await.payload, snow);
}

#[tokio::test]
async fn framing_violations_fail_with_1002() {
    expect_failure(1002, async |c: &mut RawClient| {
        c.send_frame(true, 0, TEXT, b"hi", false).await
    })
    .await;
    expect_failure(1002, async |c: &mut RawClient| {
        c.send_frame(true, 0b100, TEXT, b"hi", true).await
    })
    .await;
    expect_failure(1002, async |c: &mut RawClient| c.send(0x3, b"?").await).await;
    expect_failure(1002, async |c: &mut RawClient| c.send(0xB, b"?").await).await;
    expect_failure(1002, async |c: &mut RawClient| {
        c.send_frame(false, 0, PING, b"p", true).await
    })
    .await;
    expect_failure(1002, async |c: &mut RawClient| {
        c.send(PING, &[0u8; 126]).await
    })
    .await;
    expect_failure(1002, async |c: &mut RawClient| {
        c.send(CONTINUATION, b"orphan").await
    })
    .await;
    expect_failure(1002, async |c: &mut RawClient| {
        c.send_frame(false, 0, TEXT, b"a", true).await;
        c.send(TEXT, b"b").await;
    })
    .await;
}

#[tokio::test]
async fn ping_is_answered_and_control_frames_interleave_with_fragments() {
    let mut srv = TestServer::start(
        true,
        Script {
            echo: true,
            ..Default::default()
        },
    )
    .await;
    let mut client = RawClient::connect(srv.addr).await;
    client.send_frame(false, 0, BINARY, b"ab", true).await;
    client.send(PING, b"are you there").await;
    let pong = client.read().await;
    assert_eq!(
        (pong.opcode, pong.payload.as_slice()),
        (PONG, &b"are you there"[..])
    );
    client.send_frame(true, 0, CONTINUATION, b"cd", true).await;
    let echo = client.read().await;
    assert_eq!(
        (echo.opcode, echo.payload.as_slice()),
        (BINARY, &b"abcd"[..])
    );
    assert!(matches!(
        srv.record().await,
        Record::Event {
            event: Event::Message(Message::Binary(_)),
            ..
        }
    ));
}

#[tokio::test]
async fn oversize_message_fails_with_1009_and_the_flag_raises_the_limit() {
    // A whole frame over the limit fails from its header alone.
    let big = vec![b'x'; (32 << 20) + 1];
    expect_failure(1009, async |c: &mut RawClient| c.send(BINARY, &big).await).await;
    // Fragments adding up to more than the limit fail as well.
    let half = vec![b'x'; (16 << 20) + 1];
    expect_failure(1009, async |c: &mut RawClient| {
        c.send_frame(false, 0, BINARY, &half, true).await;
        c.send_frame(true, 0, CONTINUATION, &half, true).await;
    })
    .await;
    // With increase_websocket_message_size the same message is delivered.
    let config = WsConfig::from_flags(|f| f == "increase_websocket_message_size");
    assert_eq!(config.max_message_size, 128 << 20);
    let mut srv = TestServer::with_config(config, Script::default()).await;
    let mut client = RawClient::connect(srv.addr).await;
    client.send(BINARY, &big).await;
    match srv.record().await {
        Record::Event {
            event: Event::Message(Message::Binary(b)),
            ..
        } => assert_eq!(b.len(), big.len()),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn long_close_reason_is_truncated_to_fit_125_bytes() {
    // Without websocket_close_reason_byte_limit, close() accepts a long reason.
    let config = WsConfig {
        close_reason_byte_limit: false,
        ..WsConfig::current(true)
    };
    let long = "é".repeat(100); // 200 bytes
    let script = Script {
        on_accept: vec![Step::Close(Some(4000), Some(long.clone()))],
        ..Default::default()
    };
    let mut srv = TestServer::with_config(config, script).await;
    let mut client = RawClient::connect(srv.addr).await;
    assert!(matches!(
        srv.record().await,
        Record::Step { result: Ok(()), .. }
    ));
    let frame = client.read().await;
    assert_eq!(
        frame.payload.len(),
        124,
        "2 + 61 two-byte characters: never a split character"
    );
    assert_eq!(frame.close_code_reason(), Some((4000, "é".repeat(61))));
}

#[tokio::test]
async fn a_violation_before_accept_is_answered_at_once() {
    let mut srv = TestServer::start(true, Script::accepting_later()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let ws = srv.socket().await;
    client.send(0x3, b"?").await;
    // RFC 6455 §7.1.7: the Close and the FIN do not wait for the script.
    assert_eq!(
        client.read().await.close_code_reason().map(|(c, _)| c),
        Some(1002)
    );
    client.expect_eof().await;
    // The script's events wait for accept().
    ws.accept(false).unwrap();
    assert!(matches!(
        srv.record().await,
        Record::Event {
            event: Event::Error { .. },
            ready_state: 3
        }
    ));
    assert!(matches!(
        srv.record().await,
        Record::Event {
            event: Event::Close { code: 1002, .. },
            ..
        }
    ));
}

#[tokio::test]
async fn a_maximal_reason_is_echoed_byte_for_byte() {
    let reason = "ü".repeat(61) + "x"; // 123 bytes
    assert_eq!(reason.len(), 123);
    let mut srv = TestServer::start(true, Script::default()).await;
    let mut client = RawClient::connect(srv.addr).await;
    client
        .send(CLOSE, &close_payload(4321, reason.as_bytes()))
        .await;
    let echo = client.read().await;
    assert_eq!(echo.payload, close_payload(4321, reason.as_bytes()));
    assert_eq!(srv.close_event().await, (4321, reason, true, 3));
}

#[tokio::test]
async fn a_ping_flood_is_answered_with_the_latest_pong_only() {
    let mut srv = TestServer::start(true, Script::default()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let ws = srv.socket().await;
    // Hold the server's writer back: a backlog the client does not read yet.
    let backlog = 16usize << 20;
    ws.send(Message::Binary(vec![0u8; backlog].into())).unwrap();
    for i in 0..20_000u32 {
        client.send(PING, &i.to_be_bytes()).await;
    }
    client.send(PING, b"last").await;
    // RFC 6455 §5.5.3: Pings that pile up may be answered by one Pong for the
    // latest. A queue of 20 001 Pongs would be memory the peer controls.
    let mut pongs = 0;
    let mut data = 0;
    loop {
        let f = client.read().await;
        if f.opcode == BINARY {
            data += f.payload.len();
            continue;
        }
        assert_eq!(f.opcode, PONG);
        pongs += 1;
        if f.payload == b"last" {
            break;
        }
    }
    assert_eq!(data, backlog);
    assert!(
        pongs < 1000,
        "{pongs} Pongs for 20 001 Pings behind a blocked writer"
    );
}
