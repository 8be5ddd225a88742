//! The in-process pair: same machine, same semantics as the network.

mod support;

use hearth::compat::{CompatDate, Registry};
use hearth::ws::{Event, Message, WebSocket, WsConfig, pair};
use support::*;
use tokio::sync::mpsc;

/// Drive both ends like two scripts; collect what each saw.
struct Ends {
    a: WebSocket,
    b: WebSocket,
    a_rx: mpsc::UnboundedReceiver<Record>,
    b_rx: mpsc::UnboundedReceiver<Record>,
}

fn ends(config: WsConfig, a_script: Script, b_script: Script) -> Ends {
    let (a, b) = pair(config);
    let (a_tx, a_rx) = mpsc::unbounded_channel();
    let (b_tx, b_rx) = mpsc::unbounded_channel();
    // Accept here, so the test's first call finds both ends accepted.
    a.accept(a_script.half_open).unwrap();
    b.accept(b_script.half_open).unwrap();
    tokio::spawn(drive(
        a.clone(),
        Script {
            accept_later: true,
            ..a_script
        },
        a_tx,
    ));
    tokio::spawn(drive(
        b.clone(),
        Script {
            accept_later: true,
            ..b_script
        },
        b_tx,
    ));
    Ends { a, b, a_rx, b_rx }
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Record>) -> Record {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("no record")
        .unwrap()
}

async fn all(rx: &mut mpsc::UnboundedReceiver<Record>) -> Vec<Record> {
    let mut out = vec![];
    loop {
        let r = next(rx).await;
        let done = matches!(r, Record::Finished { .. });
        out.push(r);
        if done {
            return out;
        }
    }
}

fn flag_config(date: &str) -> WsConfig {
    let registry = Registry::builtin();
    WsConfig::from_resolved(&registry.flags_at(date.parse::<CompatDate>().unwrap()))
}

#[tokio::test]
async fn the_date_decides_the_mode() {
    assert!(!flag_config("2026-04-06").auto_reply_to_close);
    assert!(flag_config("2026-04-07").auto_reply_to_close);
}

#[tokio::test]
async fn auto_mode_close_echoes_and_both_end_closed_without_error_events() {
    let mut e = ends(
        flag_config("2026-04-07"),
        Script::default(),
        Script::default(),
    );
    e.a.close(Some(1000), Some("bye")).unwrap();
    assert_eq!(e.a.ready_state() as u8, 2, "1 -> 2 at once");
    assert_eq!(
        all(&mut e.b_rx).await,
        vec![
            Record::Event {
                event: close_event(1000, "bye", true),
                ready_state: 3
            },
            Record::Finished { ready_state: 3 },
        ]
    );
    // Divergence: no extra `error` event on the replying end.
    assert_eq!(
        all(&mut e.a_rx).await,
        vec![
            Record::Event {
                event: close_event(1000, "bye", true),
                ready_state: 3
            },
            Record::Finished { ready_state: 3 },
        ]
    );
}

#[tokio::test]
async fn manual_mode_close_waits_for_the_script() {
    for (config, half_open) in [
        (flag_config("2026-04-06"), false),
        (flag_config("2026-04-07"), true),
    ] {
        let mut e = ends(
            config,
            Script::default(),
            Script {
                half_open,
                ..Default::default()
            },
        );
        e.a.close(Some(4000), Some("a-bye")).unwrap();
        assert_eq!(
            next(&mut e.b_rx).await,
            Record::Event {
                event: close_event(4000, "a-bye", true),
                ready_state: 2
            }
        );
        assert_eq!(
            e.a.ready_state() as u8,
            2,
            "a stays CLOSING until b replies"
        );
        e.b.send(Message::Text("still here".into())).unwrap();
        e.b.close(Some(4001), Some("b-done")).unwrap();
        assert_eq!(e.b.ready_state() as u8, 3);
        // a is CLOSING: WHATWG drops messages then; the close carries b's reply.
        assert_eq!(
            next(&mut e.a_rx).await,
            Record::Event {
                event: close_event(4001, "b-done", true),
                ready_state: 3
            }
        );
    }
}

#[tokio::test]
async fn simultaneous_close_each_side_sees_the_other() {
    for auto in [true, false] {
        let (a, b) = pair(WsConfig::current(auto));
        a.accept(false).unwrap();
        b.accept(false).unwrap();
        a.close(Some(4001), Some("from-a")).unwrap();
        b.close(Some(4002), Some("from-b")).unwrap();
        assert_eq!(
            a.next_event().await,
            Some(close_event(4002, "from-b", true)),
            "auto={auto}"
        );
        assert_eq!(
            b.next_event().await,
            Some(close_event(4001, "from-a", true)),
            "auto={auto}"
        );
        assert_eq!((a.ready_state() as u8, b.ready_state() as u8), (3, 3));
        assert_eq!(a.next_event().await, None);
        assert_eq!(b.next_event().await, None);
    }
}

#[tokio::test]
async fn before_accept_both_open_and_messages_wait_in_order() {
    let (a, b) = pair(WsConfig::current(true));
    assert_eq!((a.ready_state() as u8, b.ready_state() as u8), (1, 1));
    a.accept(false).unwrap();
    for m in ["1", "2", "3"] {
        a.send(Message::Text(m.into())).unwrap();
    }
    a.close(Some(1000), None).unwrap();
    // b has not accepted: its end is still OPEN and nothing was delivered.
    assert_eq!(b.ready_state() as u8, 1);
    b.accept(false).unwrap();
    for m in ["1", "2", "3"] {
        assert_eq!(
            b.next_event().await,
            Some(Event::Message(Message::Text(m.into())))
        );
    }
    assert_eq!(b.next_event().await, Some(close_event(1000, "", true)));
    assert_eq!(a.next_event().await, Some(close_event(1000, "", true)));
}

#[tokio::test]
async fn dropping_an_end_is_an_abnormal_closure() {
    let (a, b) = pair(WsConfig::current(true));
    b.accept(false).unwrap();
    drop(a);
    assert_eq!(
        b.next_event().await,
        Some(close_event(
            1006,
            "WebSocket disconnected without sending Close frame.",
            false
        ))
    );
    assert_eq!(b.ready_state() as u8, 3);
    assert_eq!(b.next_event().await, None);
}

#[tokio::test]
async fn binary_messages_round_trip() {
    let (a, b) = pair(WsConfig::current(true));
    a.accept(false).unwrap();
    b.accept(false).unwrap();
    a.send(Message::Binary(vec![0u8, 1, 2, 255].into()))
        .unwrap();
    assert_eq!(
        b.next_event().await,
        Some(Event::Message(Message::Binary(vec![0u8, 1, 2, 255].into())))
    );
}

/// The settings the changelog examples run under, and whether auto-reply is on.
fn changelog_settings() -> Vec<(&'static str, Vec<String>, bool)> {
    vec![
        ("2026-04-06", vec![], false),
        ("2026-04-07", vec![], true),
        (
            "2026-04-06",
            vec!["web_socket_auto_reply_to_close".into()],
            true,
        ),
        (
            "2026-04-07",
            vec!["web_socket_manual_reply_to_close".into()],
            false,
        ),
    ]
}

fn resolved_config(date: &str, flags: &[String]) -> WsConfig {
    let resolution = Registry::builtin()
        .resolve(Some(date), flags, false)
        .unwrap();
    WsConfig::from_resolved(&resolution.flags)
}

/// Changelog example 1: `server.accept()`; the peer closes with 1000. The
/// handler logs CLOSED, 1000, true with the flag on; CLOSING with it off.
#[tokio::test]
async fn changelog_example_1() {
    for (date, flags, auto) in changelog_settings() {
        let case = format!("{date} {flags:?}");
        let (client, server) = pair(resolved_config(date, &flags));
        server.accept(false).unwrap();
        client.accept(false).unwrap();
        client.close(Some(1000), None).unwrap();
        let event = server.next_event().await.unwrap();
        let logged = (server.ready_state() as u8, event);
        if auto {
            assert_eq!(logged, (3, close_event(1000, "", true)), "{case}");
            // The peer got the automatic reply.
            assert_eq!(
                client.next_event().await,
                Some(close_event(1000, "", true)),
                "{case}"
            );
        } else {
            assert_eq!(logged.0, 2, "{case}: WebSocket.CLOSING");
            assert_eq!(client.ready_state() as u8, 2, "{case}: no reply yet");
        }
    }
}

/// Changelog example 2: `server.accept({ allowHalfOpen: true })`; the handler
/// logs CLOSING with either flag state, and its `close(event.code, "done")`
/// reaches the peer as 1000 "done".
#[tokio::test]
async fn changelog_example_2() {
    for (date, flags, _) in changelog_settings() {
        let case = format!("{date} {flags:?}");
        let (client, server) = pair(resolved_config(date, &flags));
        server.accept(true).unwrap();
        client.accept(false).unwrap();
        client.close(Some(1000), None).unwrap();
        let Some(Event::Close { code, .. }) = server.next_event().await else {
            panic!("{case}")
        };
        assert_eq!(server.ready_state() as u8, 2, "{case}: WebSocket.CLOSING");
        server.close(Some(i64::from(code)), Some("done")).unwrap();
        assert_eq!(server.ready_state() as u8, 3, "{case}");
        assert_eq!(
            client.next_event().await,
            Some(close_event(1000, "done", true)),
            "{case}"
        );
    }
}
