//! `WebSocketPair` semantics with both ends in the worker: buffering before
//! `accept()`, events as tasks, and the close handshake between the two ends
//! (auto and manual reply, simultaneous close). The worker is in
//! `support/js_ws.rs`.

mod support;

use serde_json::json;
use support::js_ws::*;

#[tokio::test]
async fn pair_messages_sent_before_accept_are_delivered_in_order_after_it() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/buffered").await,
        json!({ "beforeAccept": 0, "got": ["one", [1, 2], "three"] })
    );
}

#[tokio::test]
async fn pair_events_are_tasks_never_synchronous_nor_microtasks() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/tasks").await,
        json!([
            "after send",
            "after a microtask",
            "after queueMicrotask",
            "message x",
            "after the message event",
            "after close",
            "after another microtask",
            "close 1000"
        ])
    );
}

#[tokio::test]
async fn pair_close_in_auto_mode_echoes_and_both_ends_close() {
    let (hearth, _dir) = serve(ON);
    assert_eq!(
        get_json(&hearth, "/pair-close?half=0").await,
        json!({
            "log": [
                ["a.close", 2, 1],
                // [end, code, reason, wasClean, its readyState]
                ["b", 1000, "bye", true, 3],
                ["a", 1000, "bye", true, 3],
                ["later", 3, 3],
                ["b.close", "ok", 3, 3]
            ],
            "errors": []
        })
    );
}

#[tokio::test]
async fn pair_close_in_manual_mode_leaves_both_closing_until_the_other_end_replies() {
    for (args, half) in [(OFF, 0), (ON, 1)] {
        let (hearth, _dir) = serve(args);
        assert_eq!(
            get_json(&hearth, &format!("/pair-close?half={half}")).await,
            json!({
                "log": [
                    ["a.close", 2, 1],
                    ["b", 1000, "bye", true, 2],
                    ["later", 2, 2],
                    ["b.close", "ok", 2, 3],
                    ["a", 4002, "reply", true, 3]
                ],
                "errors": []
            }),
            "{args:?} half={half}"
        );
    }
}

#[tokio::test]
async fn pair_simultaneous_close_gives_each_end_the_other_code_and_reason() {
    for mode in both_dates() {
        let (hearth, _dir) = serve(mode.args);
        assert_eq!(
            get_json(&hearth, "/simultaneous").await,
            json!({
                "during": [2, 2],
                "a": [4002, "from b", true, 3],
                "b": [4001, "from a", true, 3],
                "final": [3, 3],
                "errors": []
            }),
            "{mode:?}"
        );
    }
}
