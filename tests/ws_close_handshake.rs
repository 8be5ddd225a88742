//! The close handshake over real sockets, every row of the contract
//! (`shared/spec/websocket-close.md`) in both modes, flag on and off.

mod support;

use hearth::ws::{Event, WsError};
use support::*;

/// (flag, allowHalfOpen) and whether that is "auto" mode.
const MODES: [(bool, bool, bool); 4] = [
    (true, false, true),
    (true, true, false),
    (false, false, false),
    (false, true, false),
];

// On two worker threads: the transport tasks and the script run in parallel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_close_reply_state_and_event() {
    let payloads: [Option<(u16, &str)>; 3] = [None, Some((1000, "bye")), Some((4001, "héllo ✓"))];
    for (flag, half_open, auto) in MODES {
        for payload in payloads {
            let case = format!("flag={flag} allowHalfOpen={half_open} close={payload:?}");
            let mut srv = TestServer::start(
                flag,
                Script {
                    half_open,
                    ..Default::default()
                },
            )
            .await;
            let mut client = RawClient::connect(srv.addr).await;
            let socket = srv.socket().await;
            client.send_close(payload).await;

            let (code, reason) = payload.map_or((1005, String::new()), |(c, r)| (c, r.to_owned()));
            let (ev_code, ev_reason, clean, rs) = srv.close_event().await;
            assert_eq!(
                (ev_code, ev_reason.as_str(), clean),
                (code, reason.as_str(), true),
                "{case}"
            );
            if auto {
                assert_eq!(rs, 3, "{case}: CLOSED inside the handler");
                // The echo is byte for byte, empty if the peer's was empty.
                let echo = client.read().await;
                assert_eq!(
                    echo.close_code_reason(),
                    payload.map(|(c, r)| (c, r.to_owned())),
                    "{case}"
                );
                client.expect_eof().await;
                assert_eq!(
                    srv.record().await,
                    Record::Finished { ready_state: 3 },
                    "{case}"
                );
            } else {
                assert_eq!(rs, 2, "{case}: CLOSING inside the handler");
                client.expect_quiet().await;
                assert_eq!(socket.ready_state() as u8, 2, "{case}: stays CLOSING");
                // The script's later close() is the reply, then FIN.
                socket.close(Some(1000), Some("later")).unwrap();
                assert_eq!(socket.ready_state() as u8, 3, "{case}");
                assert_eq!(
                    client.read().await.close_code_reason(),
                    Some((1000, "later".into())),
                    "{case}"
                );
                client.expect_eof().await;
            }
        }
    }
}

#[tokio::test]
async fn close_in_handler_is_the_reply_only_in_manual_mode() {
    for (flag, half_open, auto) in MODES {
        let case = format!("flag={flag} allowHalfOpen={half_open}");
        let script = Script {
            half_open,
            on_close: vec![
                Step::Close(Some(1005), None),
                Step::Close(Some(4000), Some("done".into())),
            ],
            ..Default::default()
        };
        let mut srv = TestServer::start(flag, script).await;
        let mut client = RawClient::connect(srv.addr).await;
        client.send_close(Some((1000, "bye"))).await;
        srv.until_close().await;
        // Validation comes first in both modes: close(1005) throws.
        let bad = srv.record().await;
        assert!(
            matches!(
                &bad,
                Record::Step {
                    result: Err(WsError::InvalidCloseCode(1005)),
                    ..
                }
            ),
            "{case}: {bad:?}"
        );
        assert_eq!(
            srv.record().await,
            Record::Step {
                step: Step::Close(Some(4000), Some("done".into())),
                result: Ok(()),
                ready_state: 3
            },
            "{case}"
        );
        let reply = client.read().await.close_code_reason().unwrap();
        if auto {
            assert_eq!(
                reply,
                (1000, "bye".into()),
                "{case}: the echo, not the handler's values"
            );
        } else {
            assert_eq!(
                reply,
                (4000, "done".into()),
                "{case}: the handler's close is the reply"
            );
        }
        client.expect_eof().await;
    }
}

#[tokio::test]
async fn send_in_handler() {
    for (flag, half_open, auto) in MODES {
        let case = format!("flag={flag} allowHalfOpen={half_open}");
        let script = Script {
            half_open,
            on_close: vec![Step::Send("last words"), Step::Close(Some(1000), None)],
            ..Default::default()
        };
        let mut srv = TestServer::start(flag, script).await;
        let mut client = RawClient::connect(srv.addr).await;
        client.send_close(Some((1000, ""))).await;
        srv.until_close().await;
        let Record::Step { result, .. } = srv.record().await else {
            panic!("{case}")
        };
        if auto {
            assert_eq!(result, Err(WsError::SendAfterClose), "{case}");
            assert_eq!(
                result.unwrap_err().to_string(),
                "Can't call WebSocket send() after close()."
            );
            assert_eq!(client.read().await.opcode, CLOSE, "{case}");
        } else {
            assert_eq!(result, Ok(()), "{case}");
            let msg = client.read().await;
            assert_eq!(
                (msg.opcode, msg.payload.as_slice()),
                (TEXT, &b"last words"[..]),
                "{case}: before the Close"
            );
            assert_eq!(
                client.read().await.close_code_reason(),
                Some((1000, String::new())),
                "{case}"
            );
        }
        client.expect_eof().await;
    }
}

#[tokio::test]
async fn script_initiated_close_is_identical_in_both_modes() {
    for (flag, half_open, _) in MODES {
        let case = format!("flag={flag} allowHalfOpen={half_open}");
        let script = Script {
            half_open,
            on_accept: vec![Step::Close(Some(4001), Some("server-bye".into()))],
            ..Default::default()
        };
        let mut srv = TestServer::start(flag, script).await;
        let mut client = RawClient::connect(srv.addr).await;
        assert_eq!(
            srv.record().await,
            Record::Step {
                step: Step::Close(Some(4001), Some("server-bye".into())),
                result: Ok(()),
                ready_state: 2
            },
            "{case}: 1 -> 2 at once"
        );
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4001, "server-bye".into())),
            "{case}"
        );
        client.send_close(Some((1000, "client-ok"))).await;
        assert_eq!(
            srv.close_event().await,
            (1000, "client-ok".into(), true, 3),
            "{case}"
        );
        client.expect_eof().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_drop_without_close_is_1006_and_no_error_event() {
    for (flag, half_open, _) in MODES {
        for rst in [false, true] {
            let case = format!("flag={flag} allowHalfOpen={half_open} rst={rst}");
            let mut srv = TestServer::start(
                flag,
                Script {
                    half_open,
                    ..Default::default()
                },
            )
            .await;
            let mut client = RawClient::connect(srv.addr).await;
            srv.socket().await;
            if rst {
                client.rst();
            } else {
                client.fin().await;
            }
            let records = srv.until_close().await;
            assert_eq!(
                records,
                vec![Record::Event {
                    event: close_event(
                        1006,
                        "WebSocket disconnected without sending Close frame.",
                        false
                    ),
                    ready_state: 3,
                }],
                "{case}: one close event, no error event, CLOSED (divergence: standard readyState)"
            );
            assert_eq!(
                srv.record().await,
                Record::Finished { ready_state: 3 },
                "{case}"
            );
        }
    }
}

#[tokio::test]
async fn messages_before_accept_are_buffered_in_order() {
    let mut srv = TestServer::start(true, Script::accepting_later()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let socket = srv.socket().await;
    for text in ["one", "two", "three"] {
        client.send_text(text).await;
    }
    client.send_close(Some((1000, "end"))).await;
    // Nothing is processed (and no auto-reply goes out) before accept().
    client.expect_quiet().await;
    assert_eq!(socket.ready_state() as u8, 1);
    socket.accept(false).unwrap();
    let records = srv.until_close().await;
    let events: Vec<Event> = records
        .into_iter()
        .map(|r| match r {
            Record::Event { event, .. } => event,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        events,
        vec![
            Event::Message(hearth::ws::Message::Text("one".into())),
            Event::Message(hearth::ws::Message::Text("two".into())),
            Event::Message(hearth::ws::Message::Text("three".into())),
            close_event(1000, "end", true),
        ]
    );
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1000, "end".into()))
    );
    client.expect_eof().await;
}

#[tokio::test]
async fn after_the_peer_close_nothing_else_counts_in_manual_mode() {
    // A second Close, a message and a protocol violation after the peer's
    // Close: no second close event, no error, and the connection stays open
    // for the script's reply; then the peer's FIN ends it silently.
    let mut srv = TestServer::start(false, Script::default()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let socket = srv.socket().await;
    client.send_close(Some((1000, "first"))).await;
    assert_eq!(srv.close_event().await, (1000, "first".into(), true, 2));
    client.send_close(Some((4000, "second"))).await;
    client.send_text("late").await;
    client.send(0x3, b"bad opcode").await;
    client.expect_quiet().await;
    assert_eq!(socket.ready_state() as u8, 2);
    client.fin().await;
    assert_eq!(srv.record().await, Record::Finished { ready_state: 3 });
}

#[tokio::test]
async fn simultaneous_close_over_the_network() {
    for (flag, half_open, _) in MODES {
        let case = format!("flag={flag} allowHalfOpen={half_open}");
        let script = Script {
            half_open,
            accept_later: true,
            ..Default::default()
        };
        let mut srv = TestServer::start(flag, script).await;
        let mut client = RawClient::connect(srv.addr).await;
        let ws = srv.socket().await;
        // Both Close frames cross on the wire.
        client.send_close(Some((4002, "from-client"))).await;
        ws.accept(half_open).unwrap();
        ws.close(Some(4001), Some("from-server")).unwrap();
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4001, "from-server".into())),
            "{case}"
        );
        let (code, reason, clean, rs) = srv.close_event().await;
        assert_eq!(
            (code, reason.as_str(), clean, rs),
            (4002, "from-client", true, 3),
            "{case}"
        );
        client.expect_eof().await;
    }
}

#[tokio::test]
async fn peer_drop_while_closing_is_1006() {
    let script = Script {
        on_accept: vec![Step::Close(Some(1000), None)],
        ..Default::default()
    };
    let mut srv = TestServer::start(true, script).await;
    let mut client = RawClient::connect(srv.addr).await;
    assert_eq!(client.read().await.opcode, CLOSE);
    client.rst();
    let (code, _, clean, rs) = srv.close_event().await;
    assert_eq!((code, clean, rs), (1006, false, 3));
}

#[tokio::test]
async fn dropping_every_handle_ends_the_connection() {
    let mut srv = TestServer::with_handler(|ws| async move { drop(ws) }).await;
    let mut client = RawClient::connect(srv.addr).await;
    drop(srv.socket().await);
    client.expect_eof().await;
}

#[tokio::test]
async fn a_panicking_handler_releases_its_connection() {
    let mut srv = TestServer::with_handler(|ws| async move {
        ws.accept(false).unwrap();
        panic!("handler bug (expected by this test)");
    })
    .await;
    let mut client = RawClient::connect(srv.addr).await;
    drop(srv.socket().await);
    client.expect_eof().await;
    assert_eq!(srv.server.open_sockets(), 0);
}

#[tokio::test]
async fn next_event_is_cancel_safe_while_the_reply_waits_for_the_wire() {
    // The test is the event loop: nobody else awaits this socket's events.
    let mut srv = TestServer::with_handler(|_ws| async {}).await;
    let mut client = RawClient::connect(srv.addr).await;
    let ws = srv.socket().await;
    ws.accept(false).unwrap();
    // A backlog the client does not read keeps the auto-reply off the wire.
    let backlog = 16usize << 20;
    ws.send(hearth::ws::Message::Binary(vec![0u8; backlog].into()))
        .unwrap();
    client.send_close(Some((1000, "bye"))).await;
    // Give up waiting (the event loop raced a timer): nothing may be lost.
    let early = tokio::time::timeout(QUIET, ws.next_event()).await;
    assert!(
        early.is_err(),
        "the close event waits for its reply to be flushed: {early:?}"
    );
    assert_eq!(
        ws.ready_state() as u8,
        1,
        "state changes with the event, not before"
    );
    let mut got = 0;
    while got < backlog {
        got += client.read().await.payload.len();
    }
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1000, "bye".into()))
    );
    assert_eq!(ws.next_event().await, Some(close_event(1000, "bye", true)));
    assert_eq!(ws.ready_state() as u8, 3);
}
