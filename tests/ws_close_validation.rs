//! `close()` argument validation and the repeated-close rules, on a pair end
//! and on a network socket (the same machine decides both).

mod support;

use hearth::ws::{ErrorClass, Message, WebSocket, WsConfig, WsError, pair};
use support::*;

const CODES: [(i64, bool); 15] = [
    (999, false),
    (1000, true),
    (1001, true),
    (1004, false),
    (1005, false),
    (1006, false),
    (1015, false),
    (1016, true),
    (2999, true),
    (3000, true),
    (4999, true),
    (5000, false),
    (0, false),
    (-1, false),
    (65535, false),
];

fn check_validation(ws: &WebSocket, case: &str) {
    for (code, ok) in CODES {
        let (a, b) = pair(WsConfig::current(true));
        a.accept(false).unwrap();
        let _keep = b;
        let result = a.close(Some(code), None);
        if ok {
            assert_eq!(result, Ok(()), "{case}: code {code}");
        } else {
            let err = result.unwrap_err();
            assert_eq!(err, WsError::InvalidCloseCode(code));
            assert_eq!(
                err.to_string(),
                format!("Invalid WebSocket close code: {code}.")
            );
            assert_eq!(err.class(), ErrorClass::DomException("InvalidAccessError"));
        }
    }
    let r124 = "é".repeat(62); // 124 bytes, 62 characters
    let err = ws.close(Some(1000), Some(&r124)).unwrap_err();
    assert_eq!(
        err.class(),
        ErrorClass::DomException("SyntaxError"),
        "{case}"
    );
    assert_eq!(
        err.to_string(),
        "WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded."
    );
    let err = ws.close(None, Some("why")).unwrap_err();
    assert_eq!(err.class(), ErrorClass::DomException("InvalidAccessError"));
    assert_eq!(
        err.to_string(),
        "If you specify a WebSocket close reason, you must also specify a code."
    );
    assert_eq!(
        ws.ready_state() as u8,
        1,
        "{case}: failed calls change nothing"
    );
    // 123 bytes is fine, and closes.
    ws.close(Some(1000), Some(&"a".repeat(123))).unwrap();
    assert_eq!(ws.ready_state() as u8, 2);
    // A second close() is validated, then does nothing.
    assert_eq!(
        ws.close(Some(1005), None),
        Err(WsError::InvalidCloseCode(1005))
    );
    assert_eq!(ws.close(Some(4000), Some("again")), Ok(()));
    assert_eq!(ws.close(None, None), Ok(()));
    assert_eq!(ws.ready_state() as u8, 2);
    let err = ws.send(Message::Text("late".into())).unwrap_err();
    assert_eq!(err.class(), ErrorClass::TypeError);
    assert_eq!(
        err.to_string(),
        "Can't call WebSocket send() after close()."
    );
}

#[tokio::test]
async fn validation_on_a_pair_end() {
    let (a, b) = pair(WsConfig::current(true));
    a.accept(false).unwrap();
    check_validation(&a, "pair");
    b.accept(false).unwrap();
    assert_eq!(
        b.next_event().await,
        Some(close_event(1000, &"a".repeat(123), true))
    );
}

#[tokio::test]
async fn validation_on_a_network_socket_and_what_the_peer_receives() {
    let mut srv = TestServer::start(true, Script::accepting_later()).await;
    let mut client = RawClient::connect(srv.addr).await;
    let ws = srv.socket().await;
    ws.accept(false).unwrap();
    check_validation(&ws, "network");
    // Only the one valid close reached the wire.
    assert_eq!(
        client.read().await.close_code_reason(),
        Some((1000, "a".repeat(123)))
    );
    client.expect_quiet().await;
}

#[tokio::test]
async fn close_without_arguments_sends_an_empty_frame() {
    let mut srv = TestServer::start(
        false,
        Script {
            on_accept: vec![Step::Close(None, None)],
            ..Default::default()
        },
    )
    .await;
    let mut client = RawClient::connect(srv.addr).await;
    let frame = client.read().await;
    assert_eq!((frame.opcode, frame.payload.len()), (CLOSE, 0));
    client.send_close(None).await;
    let (code, reason, clean, rs) = srv.close_event().await;
    assert_eq!((code, reason.as_str(), clean, rs), (1005, "", true, 3));
}

#[tokio::test]
async fn send_and_close_before_accept_are_refused() {
    let (a, _b) = pair(WsConfig::current(true));
    let err = a.send(Message::Text("x".into())).unwrap_err();
    assert_eq!(err.class(), ErrorClass::TypeError);
    assert_eq!(
        err.to_string(),
        "You must call accept() on this WebSocket before sending messages."
    );
    assert_eq!(a.close(Some(1000), None), Err(WsError::NotAccepted));
    // Validation still comes first.
    assert_eq!(
        a.close(Some(999), None),
        Err(WsError::InvalidCloseCode(999))
    );
}
