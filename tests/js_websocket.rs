//! Every rule of `shared/spec/websocket-close.md` through JavaScript: a real
//! `hearth run` process, a worker whose handlers log what they see, and the
//! raw-frame client as the network peer; plus `new WebSocket(url)` to a
//! second process. `WebSocketPair` semantics with both ends in the worker
//! are in `js_websocket_pair.rs`; the worker and helpers are in
//! `support/js_ws.rs`.

mod support;

use serde_json::json;
use support::hearth_process::Hearth;
use support::js_ws::*;
use support::*;

// ---- constants, pair shape, close() validation ----

#[tokio::test]
async fn ready_state_constants_and_the_shape_of_a_websocket_pair() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/shape").await,
        json!({
            "keys": ["0", "1"],
            "sameObjects": true,
            "isWebSocket": [true, true, true],
            "constants": [0, 1, 2, 3],
            "onInstances": [0, 1, 2, 3],
            "readyStateBeforeAccept": [1, 1]
        })
    );
}

#[tokio::test]
async fn close_arguments_are_validated_with_the_exact_error_class_and_message() {
    let mut codes = vec![];
    for code in [
        999, 1000, 1004, 1005, 1006, 1015, 1016, 2999, 3000, 4999, 5000,
    ] {
        let valid = matches!(code, 1000 | 1016 | 2999 | 3000 | 4999);
        let result = if valid {
            "ok".into()
        } else {
            invalid_code(code)
        };
        codes.push(json!([code, result]));
    }
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        assert_eq!(
            get_json(&hearth, "/validation").await,
            json!({
                "codes": codes,
                "reason123": "ok",
                "reason124": REASON_TOO_LONG,
                "codeCheckedFirst": invalid_code(1005),
                "reasonWithoutCode": "DOMException(InvalidAccessError, 15): If you specify a WebSocket close reason, you must also specify a code.",
                "noArguments": ["ok", 2],
                // A second close() is validated, then does nothing.
                "repeated": ["ok", "ok", invalid_code(1005), REASON_TOO_LONG, 2],
                "peerSaw": [1000, "first"],
                "sendAfterClose": SEND_AFTER_CLOSE
            }),
            "{mode:?}"
        );
    }
}

// ---- a Close frame from the network peer ----

#[tokio::test]
async fn peer_close_is_echoed_byte_for_byte_and_the_handler_sees_closed_in_auto_mode() {
    let reason = "günaydın ✓";
    for mode in modes(true) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=none")).await;
        client.send_close(Some((4321, reason))).await;
        let echo = client.read().await;
        assert_eq!(echo.opcode, CLOSE, "{mode:?}");
        assert_eq!(
            echo.payload,
            close_payload(4321, reason.as_bytes()),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(4321, reason, true, 3),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn peer_close_gets_no_reply_and_the_handler_sees_closing_in_manual_mode() {
    for mode in modes(false) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=none")).await;
        client.send_close(Some((1000, "bye"))).await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "bye", true, 2),
            "{mode:?}"
        );
        // The handler has run; still nothing on the wire, and TCP stays open.
        client.expect_quiet().await;
    }
}

#[tokio::test]
async fn an_empty_peer_close_is_1005_with_an_empty_reason_and_is_echoed_empty_in_auto_mode() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=none")).await;
        client.send_close(None).await;
        if mode.auto {
            let echo = client.read().await;
            assert_eq!((echo.opcode, echo.payload.len()), (CLOSE, 0), "{mode:?}");
            client.expect_eof().await;
            assert_eq!(
                hearth.stdout_line("EVENT "),
                close_line(1005, "", true, 3),
                "{mode:?}"
            );
        } else {
            assert_eq!(
                hearth.stdout_line("EVENT "),
                close_line(1005, "", true, 2),
                "{mode:?}"
            );
            client.expect_quiet().await;
        }
    }
}

#[tokio::test]
async fn close_in_the_close_handler_is_validated_then_ignored_in_auto_mode() {
    for mode in modes(true) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=close")).await;
        client.send_close(Some((1000, "bye"))).await;
        // The peer gets the echo, not the handler's 4000 "handler".
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((1000, "bye".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "bye", true, 3)
        );
        assert_eq!(
            hearth.stdout_line("ACT "),
            format!(
                r#"ACT {{"close1005":"{}","close":"ok","readyState":3}}"#,
                invalid_code(1005)
            ),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn close_in_the_close_handler_is_the_reply_in_manual_mode() {
    for mode in modes(false) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=close")).await;
        client.send_close(Some((1000, "bye"))).await;
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4000, "handler".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "bye", true, 2)
        );
        assert_eq!(
            hearth.stdout_line("ACT "),
            format!(
                r#"ACT {{"close1005":"{}","close":"ok","readyState":3}}"#,
                invalid_code(1005)
            ),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn send_in_the_close_handler_throws_in_auto_mode() {
    for mode in modes(true) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=send")).await;
        client.send_close(Some((1000, "bye"))).await;
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((1000, "bye".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("ACT "),
            format!(r#"ACT {{"send":"{SEND_AFTER_CLOSE}","close":"ok","readyState":3}}"#),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn send_in_the_close_handler_reaches_the_peer_before_the_reply_in_manual_mode() {
    for mode in modes(false) {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/peer-close", "act=send")).await;
        client.send_close(Some((1000, "bye"))).await;
        let late = client.read().await;
        assert_eq!(
            (late.opcode, late.payload.as_slice()),
            (TEXT, &b"late"[..]),
            "{mode:?}"
        );
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4000, "after send".into())),
            "{mode:?}"
        );
        client.expect_eof().await;
        assert_eq!(
            hearth.stdout_line("ACT "),
            r#"ACT {"send":"ok","close":"ok","readyState":3}"#,
            "{mode:?}"
        );
    }
}

// ---- the script closes first ----

#[tokio::test]
async fn script_close_in_fetch_is_closing_at_once_and_the_event_carries_the_peer_reply() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/script-close", "when=fetch")).await;
        assert_eq!(hearth.stdout_line("ACT "), r#"ACT {"readyState":2}"#);
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4001, "server-bye".into())),
            "{mode:?}"
        );
        client.send_close(Some((1000, "client-bye"))).await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "client-bye", true, 3),
            "{mode:?}"
        );
        client.expect_eof().await;
    }
}

#[tokio::test]
async fn script_close_in_a_message_handler_is_closing_at_once_and_the_event_carries_the_peer_reply()
{
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client =
            RawClient::connect_path(hearth.addr, &mode.path("/script-close", "when=message")).await;
        client.send_text("please close").await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            r#"EVENT {"type":"message","data":"please close","readyState":1}"#
        );
        assert_eq!(hearth.stdout_line("ACT "), r#"ACT {"readyState":2}"#);
        assert_eq!(
            client.read().await.close_code_reason(),
            Some((4001, "server-bye".into())),
            "{mode:?}"
        );
        client.send_close(Some((1000, "client-bye"))).await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1000, "client-bye", true, 3),
            "{mode:?}"
        );
        client.expect_eof().await;
    }
}

// ---- the peer drops TCP without a Close frame ----

/// Connect to `/observe` and wait until the script sees a message, so the
/// socket is accepted and coupled to the network.
async fn observed(hearth: &Hearth, mode: &Mode) -> RawClient {
    let mut client = RawClient::connect_path(hearth.addr, &mode.path("/observe", "")).await;
    client.send_text("hello").await;
    assert_eq!(
        hearth.stdout_line("EVENT "),
        r#"EVENT {"type":"message","data":"hello","readyState":1}"#
    );
    client
}

/// After the close event, the next event logged is the mark: no `error`
/// event (nor anything else) came before or after it.
async fn nothing_more_than_the_mark(hearth: &Hearth) {
    assert_eq!(hearth.get("/mark").await, (200, "marked".into()));
    assert_eq!(hearth.stdout_line("EVENT "), r#"EVENT {"type":"mark"}"#);
}

#[tokio::test]
async fn peer_fin_without_close_is_one_1006_close_event_with_ready_state_closed_and_no_error() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let mut client = observed(&hearth, mode).await;
        client.fin().await;
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1006, DISCONNECTED, false, 3),
            "{mode:?}"
        );
        nothing_more_than_the_mark(&hearth).await;
    }
}

#[tokio::test]
async fn peer_rst_without_close_is_one_1006_close_event_with_ready_state_closed_and_no_error() {
    for mode in MODES {
        let (hearth, _dir) = serve(mode.args);
        let client = observed(&hearth, mode).await;
        client.rst();
        assert_eq!(
            hearth.stdout_line("EVENT "),
            close_line(1006, DISCONNECTED, false, 3),
            "{mode:?}"
        );
        nothing_more_than_the_mark(&hearth).await;
    }
}

// ---- protocol errors from the peer ----

/// The peer sends `opcode payload`; hearth must answer Close `code` and end
/// TCP, and the script must see `error` then `close` (`code`, the reason on
/// the wire, wasClean false).
async fn fails_with(hearth: &Hearth, mode: &Mode, opcode: u8, payload: &[u8], code: u16) {
    let mut client = RawClient::connect_path(hearth.addr, &mode.path("/observe", "")).await;
    client.send(opcode, payload).await;
    let (sent, reason) = client
        .read()
        .await
        .close_code_reason()
        .expect("a Close frame with a code");
    assert_eq!(sent, code, "{mode:?} {payload:?}");
    client.expect_eof().await;
    assert_eq!(
        hearth.stdout_line("EVENT "),
        r#"EVENT {"type":"error","readyState":3}"#,
        "{mode:?} {payload:?}"
    );
    assert_eq!(
        hearth.stdout_line("EVENT "),
        close_line(code, &reason, false, 3),
        "{mode:?} {payload:?}"
    );
}

#[tokio::test]
async fn a_peer_close_with_a_code_not_allowed_on_the_wire_fails_the_connection_with_1002() {
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        fails_with(&hearth, &mode, CLOSE, &1005u16.to_be_bytes(), 1002).await;
        fails_with(&hearth, &mode, CLOSE, &999u16.to_be_bytes(), 1002).await;
        fails_with(&hearth, &mode, CLOSE, &close_payload(1005, b"x"), 1002).await;
        nothing_more_than_the_mark(&hearth).await;
    }
}

#[tokio::test]
async fn invalid_utf8_text_fails_the_connection_with_1007() {
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        fails_with(&hearth, &mode, TEXT, &[b'h', 0xC3, 0x28], 1007).await;
        nothing_more_than_the_mark(&hearth).await;
    }
}

// ---- binaryType ----

#[tokio::test]
async fn binary_messages_follow_the_default_binary_type_of_the_compatibility_settings() {
    for (args, binary_type) in [
        (ON, "blob"),
        (&["--compatibility-date", "2026-03-16"][..], "arraybuffer"),
        (
            &[
                "--compatibility-date",
                "2026-04-07",
                "--compatibility-flags",
                "no_websocket_standard_binary_type",
            ][..],
            "arraybuffer",
        ),
    ] {
        let (hearth, _dir) = serve(args);
        let mut client = RawClient::connect_path(hearth.addr, "/binary").await;
        assert_eq!(
            hearth.stdout_line("BINARYTYPE "),
            format!("BINARYTYPE \"{binary_type}\""),
            "{args:?}"
        );
        client.send(BINARY, &[1, 2, 255]).await;
        let blob = binary_type == "blob";
        assert_eq!(
            hearth.stdout_line("BINARY "),
            format!(
                r#"BINARY {{"blob":{blob},"arrayBuffer":{},"bytes":[1,2,255]}}"#,
                !blob
            ),
            "{args:?}"
        );
    }
}

#[tokio::test]
async fn binary_type_can_be_set_and_ignores_invalid_values() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/binary-type").await,
        json!({
            "initial": ["blob", "blob"],
            "afterInvalid": "blob",
            "afterArrayBuffer": "arraybuffer",
            "afterBlob": "blob"
        })
    );
    let (hearth, _dir) = serve(&[
        "--compatibility-date",
        "2026-04-07",
        "--compatibility-flags",
        "no_websocket_standard_binary_type",
    ]);
    assert_eq!(
        get_json(&hearth, "/binary-type").await,
        json!({
            "initial": ["arraybuffer", "arraybuffer"],
            "afterInvalid": "arraybuffer",
            "afterArrayBuffer": "arraybuffer",
            "afterBlob": "blob"
        })
    );
}

// ---- new WebSocket(url) ----

#[tokio::test]
async fn new_websocket_to_another_hearth_opens_echoes_and_closes() {
    let (echo, _echo_dir) = serve_worker(ECHO_WORKER, ON);
    let (client, _client_dir) = serve_worker(CLIENT_WORKER, ON);
    let target = format!("ws://{}/echo", echo.addr);
    assert_eq!(
        get_json(&client, &format!("/?target={target}")).await,
        json!([
            ["constructed", 0, target],
            ["open", 1, ""],
            ["message", "echo:hi"],
            ["closing", 2],
            ["close", 1000, "done", true, 3]
        ])
    );
}
