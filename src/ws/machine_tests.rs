use super::*;
use crate::ws::close::CloseFrame;

fn frame(code: u16, reason: &str) -> Option<CloseFrame> {
    Some(CloseFrame {
        code,
        reason: reason.into(),
    })
}

fn accepted(auto_flag: bool, allow_half_open: bool) -> Machine {
    let mut m = Machine::new(WsConfig::current(auto_flag));
    m.accept(allow_half_open).unwrap();
    m
}

#[test]
fn peer_close_in_each_mode() {
    // (flag, allowHalfOpen) -> replies?, readyState after
    for (flag, half, replies, state) in [
        (true, false, true, ReadyState::Closed),
        (true, true, false, ReadyState::Closing),
        (false, false, false, ReadyState::Closing),
        (false, true, false, ReadyState::Closing),
    ] {
        let mut m = accepted(flag, half);
        let actions = m.on_peer(PeerInput::Close(frame(1000, "bye")));
        let sent = actions.contains(&Action::Send(Outgoing::Close(frame(1000, "bye"))));
        assert_eq!(sent, replies, "flag={flag} half={half}");
        assert_eq!(m.ready_state(), state);
        assert_eq!(
            actions.last(),
            Some(&Action::Dispatch(Event::Close {
                code: 1000,
                reason: "bye".into(),
                was_clean: true
            }))
        );
    }
}

#[test]
fn manual_reply_and_send_in_handler() {
    let mut m = accepted(false, false);
    m.on_peer(PeerInput::Close(None));
    assert!(m.send(Message::Text("last".into())).is_ok());
    let actions = m.close(Some(1000), Some("done")).unwrap();
    assert_eq!(
        actions,
        vec![
            Action::Send(Outgoing::Close(frame(1000, "done"))),
            Action::Finish
        ]
    );
    assert_eq!(m.ready_state(), ReadyState::Closed);
    assert_eq!(
        m.send(Message::Text("x".into())),
        Err(WsError::SendAfterClose)
    );
}

#[test]
fn auto_close_in_handler_is_validated_then_ignored() {
    let mut m = accepted(true, false);
    m.on_peer(PeerInput::Close(frame(1000, "")));
    assert_eq!(
        m.close(Some(1005), None),
        Err(WsError::InvalidCloseCode(1005))
    );
    assert_eq!(m.close(Some(4000), Some("x")), Ok(vec![]));
    assert_eq!(
        m.send(Message::Text("x".into())),
        Err(WsError::SendAfterClose)
    );
}

#[test]
fn disconnect_reports_1006_once() {
    let mut m = accepted(true, false);
    let a = m.on_peer(PeerInput::Disconnected);
    assert_eq!(m.ready_state(), ReadyState::Closed);
    assert!(matches!(
        a.last(),
        Some(Action::Dispatch(Event::Close {
            code: 1006,
            was_clean: false,
            ..
        }))
    ));
    assert!(m.on_peer(PeerInput::Disconnected).is_empty());
}

#[test]
fn before_accept() {
    let mut m = Machine::new(WsConfig::current(true));
    assert_eq!(m.ready_state(), ReadyState::Open);
    assert_eq!(m.send(Message::Text("x".into())), Err(WsError::NotAccepted));
    assert_eq!(m.close(None, None), Err(WsError::NotAccepted));
    assert_eq!(m.accept(false), Ok(()));
    assert_eq!(m.accept(true), Ok(()), "second accept is a no-op");
    assert_eq!(m.mode(), Some(Mode::Auto));
}
