//! The web APIs end to end through the globals worker
//! (`support/js_globals_worker.rs`): URL, Headers, Request/Response bodies,
//! DOMException, EventTarget, `Cloudflare.compatibilityFlags` and `env`.
//! Every expectation is an exact value.

mod support;

use serde_json::json;
use support::hearth_process::{Hearth, write_files};
use support::js_globals_worker::*;

#[tokio::test]
async fn url_parses_resolves_relative_references_and_keeps_search_params_in_sync() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/url").await,
        json!({
            "parts": [
                "https://user:pw@example.com:8443/a/c/d?x=1#frag",
                "https://example.com:8443",
                "https:",
                "user",
                "pw",
                "example.com:8443",
                "example.com",
                "8443",
                "/a/c/d",
                "?x=1",
                "#frag"
            ],
            "normalized": ["http://example.com/%7efoo/baz", ""],
            "all": ["1", "3"],
            "afterAppend": "https://h.example/p?a=1&b=2&a=3&c=x+y%26z",
            "afterDelete": "?b=2&c=x+y%26z",
            "fromSearch": ["é", 1, true],
            "invalid": "TypeError: Invalid URL string.",
            "canParse": [false, true]
        })
    );
}

#[tokio::test]
async fn headers_are_case_insensitive_combine_values_and_iterate_sorted() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/headers").await,
        json!({
            "get": "1, 3",
            "has": true,
            "entries": [
                ["content-type", "text/plain"],
                ["set-cookie", "a=1"],
                ["set-cookie", "b=2"],
                ["x-a", "1, 3"],
                ["x-b", "2"]
            ],
            "keys": ["content-type", "set-cookie", "set-cookie", "x-a", "x-b"],
            "afterDelete": null,
            "invalidName": "TypeError: Invalid header name: 'bad name'",
            "incomingHost": true,
            "incomingImmutable": "TypeError: Can't modify immutable headers."
        })
    );
}

#[tokio::test]
async fn request_and_response_bodies_and_response_status_validation() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/bodies").await,
        json!({
            "text": "héllo ✓",
            "used": true,
            "again": "TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.",
            "json": { "a": [1, 2], "b": null },
            "arrayBuffer": [true, [1, 2, 255]],
            "textType": "text/plain;charset=UTF-8",
            "request": ["POST", "https://example.com/x", "text/plain;charset=UTF-8", "payload"],
            "getWithBody": "TypeError: Request with a GET or HEAD method cannot have a body.",
            "responseJson": [201, true, "application/json", "{\"ok\":true}"],
            "status101": "RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.",
            "status600": "RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.",
            "webSocketWith200": "RangeError: Responses with a WebSocket must have status code 101.",
            "nullBody204": "TypeError: Response with null body status cannot have body"
        })
    );
}

#[tokio::test]
async fn response_json_status_and_body_reach_the_client() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        hearth.get("/json-response").await,
        (201, r#"{"ok":true,"n":[1,2]}"#.into())
    );
}

#[tokio::test]
async fn dom_exception_has_legacy_codes_and_is_an_error() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/dom-exception").await,
        json!({
            "syntax": ["SyntaxError", "m", 12, true, true, "SyntaxError: m", "[object DOMException]"],
            "invalidAccess": ["InvalidAccessError", 15, 15, 15],
            "noArguments": ["Error", "", 0],
            "unknownName": 0,
            "thrown": [true, true, "InvalidCharacterError", 5]
        })
    );
}

#[tokio::test]
async fn event_target_once_handle_event_and_a_throwing_listener_is_reported_while_dispatch_continues()
 {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/events").await,
        json!({
            "log": [
                "once ping 2",
                "handleEvent true true",
                "after the throwing listener false",
                "handleEvent true true",
                "after the throwing listener false"
            ],
            "returns": [true, true, false]
        })
    );
    // One report per dispatch, each with the error's own first line.
    assert_eq!(
        hearth.stderr_text("listener boom"),
        "Uncaught Error: listener boom"
    );
    assert_eq!(
        hearth.stderr_text("listener boom"),
        "Uncaught Error: listener boom"
    );
}

#[tokio::test]
async fn compatibility_flags_reflect_the_date_and_cannot_be_changed() {
    for (date, auto) in [("2026-04-06", false), ("2026-04-07", true)] {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &[("worker.js", WORKER)]);
        let hearth = Hearth::start(dir.path(), &["worker.js", "--compatibility-date", date]);
        assert_eq!(
            get_json(&hearth, "/flags").await,
            json!({
                "before": auto,
                "type": "boolean",
                "assign": "TypeError: Cannot assign to read only property 'web_socket_auto_reply_to_close' of object '#<Object>'",
                "replace": "TypeError: Cannot assign to read only property 'compatibilityFlags' of object '#<Object>'",
                "after": auto,
                "frozen": true
            }),
            "{date}"
        );
    }
}

#[tokio::test]
async fn env_carries_wrangler_toml_vars_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("worker.js", WORKER),
            (
                "wrangler.toml",
                "main = \"worker.js\"\ncompatibility_date = \"2026-04-07\"\n\
                 [vars]\nCOUNT = 3\nLIMITS = { max = 10, names = [\"a\", \"b\"] }\nNAME = \"hearth\"\n",
            ),
        ],
    );
    let hearth = Hearth::start(dir.path(), &[]);
    assert_eq!(
        get_json(&hearth, "/env").await,
        json!({
            "name": ["string", "hearth"],
            "count": ["number", 3],
            "limits": ["object", { "max": 10, "names": ["a", "b"] }],
            "keys": ["COUNT", "LIMITS", "NAME"]
        })
    );
}
