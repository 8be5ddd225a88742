//! The JavaScript globals end to end: a real `hearth run` process serving a
//! worker whose routes exercise one global each and answer with what they
//! saw (JSON), or print it (console). Every expectation is an exact value.
//! This file: console, timers and microtasks, structuredClone, crypto,
//! TextEncoder/TextDecoder and base64; the web APIs (URL, Headers, bodies,
//! DOMException, events, flags, env) are in `js_web_apis.rs`. The worker is
//! in `support/js_globals_worker.rs`.

mod support;

use serde_json::json;
use support::js_globals_worker::*;

#[tokio::test]
async fn console_formats_substitutions_objects_collections_and_depth() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(hearth.get("/console").await, (200, "logged".into()));
    assert_eq!(
        hearth.stdout_line("fmt: "),
        r#"fmt: Bob is 42.5 years, 7 days, {"a":[1,"x"]}; 100% { k: 'v' }"#
    );
    assert_eq!(hearth.stdout_line("extra: "), "extra: a b 3 { c: 1 }");
    assert_eq!(
        hearth.stdout_line("obj: "),
        "obj: { a: 1, b: 'two', c: [ 1, 2, 3 ], d: null, e: undefined, f: true }"
    );
    assert_eq!(
        hearth.stdout_line("quotes: "),
        r#"quotes: [ "it's", 'say "hi"' ]"#
    );
    // Default depth 2: the third level of nesting is elided.
    assert_eq!(
        hearth.stdout_line("depth: "),
        "depth: { l1: { l2: { l3: [Object] } }, arr: [ [ 1, [Array] ] ] }"
    );
    assert_eq!(
        hearth.stdout_line("collections: "),
        "collections: Map(2) { 'a' => 1, 2 => { b: true } } Set(2) { 1, 'x' }"
    );
    // %o inspects 4 levels deep; only the 3 innermost levels share a line.
    assert_eq!(
        hearth.stdout_lines("deep: ", 5),
        [
            "deep: {",
            "  a: {",
            "    b: { c: { d: { e: [Object] } } }",
            "  }",
            "}",
        ]
    );
}

#[tokio::test]
async fn console_prints_an_error_with_its_stack_and_console_error_goes_to_stderr() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(hearth.get("/console").await, (200, "logged".into()));
    let needle = r#"console.log(new Error("kaboom"));"#;
    let (line, text) = WORKER
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap();
    let column = text.find("new Error").unwrap() + 1;
    let lines = hearth.stdout_lines("kaboom", 2);
    assert_eq!(lines[0], "Error: kaboom");
    assert!(lines[1].starts_with("    at "), "{lines:?}");
    assert!(
        lines[1].ends_with(&format!("worker.js:{}:{column})", line + 1)),
        "{lines:?}"
    );
    assert_eq!(hearth.stderr_text("to stderr"), "to stderr: 5");
}

#[tokio::test]
async fn timers_run_as_tasks_in_order_after_microtasks_and_can_be_cleared() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/timers").await,
        json!([
            "sync",
            "promise",
            "microtask",
            "timeout 1",
            "timeout 2",
            "microtask in timeout 2",
            "timeout 3 x y",
            "nested timeout"
        ])
    );
}

#[tokio::test]
async fn an_interval_repeats_with_its_arguments_until_cleared_in_its_callback() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/interval").await,
        json!(["tick 1", "tick 2", "tick 3"])
    );
}

#[tokio::test]
async fn queue_microtask_and_set_timeout_refuse_what_is_not_a_function() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/callable-checks").await,
        json!([
            "TypeError: Failed to execute 'queueMicrotask': 1 argument required, but only 0 present.",
            "TypeError: Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.",
            "TypeError: Failed to execute 'setTimeout': parameter 1 is not of type 'Function'."
        ])
    );
}

#[tokio::test]
async fn structured_clone_copies_nested_values_and_refuses_functions_with_data_clone_error() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/clone").await,
        json!({
            "distinct": true,
            "deep": true,
            "map": [true, 1, true],
            "set": [true, true],
            "date": [true, "1970-01-02T00:00:00.000Z"],
            "cycle": true,
            // Data that looks like the ops' internal error triple is still data.
            "threeStrings": ["DOMException", "SyntaxError", "m"],
            "fn": [true, true, "DataCloneError", 25, "() => 1 could not be cloned."]
        })
    );
}

#[tokio::test]
async fn crypto_random_uuid_is_v4_and_get_random_values_fills_the_view_it_returns() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/crypto").await,
        json!({
            "uuidV4": true,
            "uuidsDiffer": true,
            "sameView": true,
            "changed": true,
            "insideViewChanged": true,
            "outsideViewUntouched": true,
            "max": 65536,
            "quota": "DOMException(QuotaExceededError, 22): The ArrayBufferView's byte length (65537) exceeds the number of bytes of entropy available via this API (65536).",
            "float": "DOMException(TypeMismatchError, 17): The data provided is not an integer-typed array."
        })
    );
}

#[tokio::test]
async fn text_encoder_and_decoder_round_trip_utf8_and_fatal_decoding_throws() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/encoding").await,
        json!({
            "bytes": [104, 195, 169, 108, 108, 111, 32, 226, 130, 172, 240, 159, 152, 128],
            "isUint8Array": true,
            "decoded": "héllo €😀",
            "roundTrip": true,
            "fatal": "TypeError: The encoded data was not valid for encoding utf-8",
            "replacement": "a\u{fffd}b",
            "bom": "A",
            "stream": "|€",
            "label": "windows-1252"
        })
    );
}

#[tokio::test]
async fn atob_and_btoa_and_their_invalid_character_errors() {
    let (hearth, _dir) = serve(&[]);
    assert_eq!(
        get_json(&hearth, "/base64").await,
        json!({
            "btoa": "aGVsbG8=",
            "atob": "hello",
            "forgiving": ["hello", "hello"],
            "latin1": ["//4=", true],
            "btoaError": "DOMException(InvalidCharacterError, 5): The string to be encoded contains characters outside of the Latin1 range.",
            "atobError": "DOMException(InvalidCharacterError, 5): The string to be decoded is not correctly encoded.",
            "atobBadChar": "DOMException(InvalidCharacterError, 5): The string to be decoded is not correctly encoded."
        })
    );
}
