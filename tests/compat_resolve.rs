//! Resolution through the library API: the rules and exact messages.

use hearth::compat::{CompatDate, CompatError, CompatWarning, Input, Reason, Registry, Resolution};

const AUTO: &str = "web_socket_auto_reply_to_close";
const MANUAL: &str = "web_socket_manual_reply_to_close";

fn resolve(
    date: Option<&str>,
    flags: &[&str],
    experimental: bool,
) -> Result<Resolution, CompatError> {
    let flags: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
    Registry::builtin().resolve(date, &flags, experimental)
}

fn date(s: &str) -> CompatDate {
    s.parse().unwrap()
}

#[test]
fn auto_reply_by_date_and_flags() {
    // (date, flags, expected on, expected reason)
    let cases: &[(&str, &[&str], bool, Reason)] = &[
        (
            "2026-04-06",
            &[],
            false,
            Reason::DefaultOff {
                from: Some(date("2026-04-07")),
            },
        ),
        (
            "2026-04-07",
            &[],
            true,
            Reason::Date {
                since: date("2026-04-07"),
            },
        ),
        (
            "2026-11-17",
            &[],
            true,
            Reason::Date {
                since: date("2026-04-07"),
            },
        ),
        ("2026-04-06", &[AUTO], true, Reason::EnableFlag),
        (
            "2026-04-06",
            &[MANUAL],
            false,
            Reason::DisableFlag {
                name: MANUAL.into(),
            },
        ),
        (
            "2026-04-07",
            &[MANUAL],
            false,
            Reason::DisableFlag {
                name: MANUAL.into(),
            },
        ),
        (
            "2026-04-07",
            &[AUTO],
            true,
            Reason::Date {
                since: date("2026-04-07"),
            },
        ),
    ];
    for (d, flags, on, reason) in cases {
        let r = resolve(Some(d), flags, false).unwrap_or_else(|e| panic!("{d} {flags:?}: {e}"));
        assert_eq!(r.date, date(d));
        assert_eq!(r.flags.is_enabled(AUTO), *on, "{d} {flags:?}");
        let flag = r.flags.iter().find(|f| f.name == AUTO).unwrap();
        assert_eq!(&flag.reason, reason, "{d} {flags:?}");
    }
}

#[test]
fn errors_have_exact_messages() {
    let cases: &[(Option<&str>, &[&str], &str)] = &[
        (
            Some("2026-01-01"),
            &[AUTO, MANUAL],
            "Compatibility flags are mutually contradictory: web_socket_auto_reply_to_close vs web_socket_manual_reply_to_close",
        ),
        (
            Some("2026-05-01"),
            &[MANUAL, AUTO],
            "Compatibility flags are mutually contradictory: web_socket_auto_reply_to_close vs web_socket_manual_reply_to_close",
        ),
        (
            Some("2026-01-01"),
            &["no_web_socket_auto_reply_to_close"],
            "No such compatibility flag: no_web_socket_auto_reply_to_close",
        ),
        (
            Some("2026-01-01"),
            &[AUTO, AUTO],
            "Compatibility flag specified multiple times: web_socket_auto_reply_to_close",
        ),
        (
            Some("2026-01-01"),
            &["increase_websocket_message_size"],
            "The compatibility flag increase_websocket_message_size is experimental and may break or be removed in a future version of hearth. To use this flag, you must pass --experimental on the command line.",
        ),
        (
            Some("2027-01-01"),
            &[],
            "This Worker requires compatibility date \"2027-01-01\", but the newest date supported by this server binary is \"2026-11-17\".",
        ),
        (
            Some("2026-11-18"),
            &[],
            "This Worker requires compatibility date \"2026-11-18\", but the newest date supported by this server binary is \"2026-11-17\".",
        ),
    ];
    for (d, flags, expected) in cases {
        let err = resolve(*d, flags, false).expect_err(expected);
        assert_eq!(err.to_string(), *expected);
    }
}

#[test]
fn errors_and_warnings_say_which_input_they_are_about() {
    const COMPRESSION: &str = "no_web_socket_compression";
    // (date, flags, the input the error is about)
    let cases: &[(&str, &[&str], Input)] = &[
        ("2026-02-30", &[AUTO], Input::Date),
        ("2027-01-01", &[AUTO], Input::Date),
        ("2026-01-01", &[COMPRESSION, "nope", AUTO], Input::Flag(1)),
        ("2026-01-01", &[AUTO, COMPRESSION, AUTO], Input::Flag(2)),
        (
            "2026-01-01",
            &[COMPRESSION, "increase_websocket_message_size"],
            Input::Flag(1),
        ),
        // Contradictions point at the later of the two names, either order.
        ("2026-01-01", &[AUTO, COMPRESSION, MANUAL], Input::Flag(2)),
        ("2026-01-01", &[MANUAL, COMPRESSION, AUTO], Input::Flag(2)),
        ("2026-01-01", &[MANUAL, AUTO, COMPRESSION], Input::Flag(1)),
    ];
    for (d, flags, input) in cases {
        let err = resolve(Some(d), flags, false).expect_err(d);
        assert_eq!(err.input(), *input, "{d} {flags:?}: {err}");
    }
    let r = resolve(Some("2026-04-07"), &[COMPRESSION, AUTO], false).unwrap();
    let inputs: Vec<_> = r.warnings.iter().map(CompatWarning::input).collect();
    assert_eq!(inputs, [Some(Input::Flag(1))]);
    let r = resolve(None, &[], false).unwrap();
    assert_eq!(r.warnings[0].input(), None);
}

#[test]
fn malformed_dates_name_value_and_newest_date() {
    for bad in [
        "2026-13-01",
        "2026-02-30",
        "yesterday",
        "2026-4-7",
        "",
        "2026-04-07T00:00:00",
    ] {
        let err = resolve(Some(bad), &[], false).unwrap_err();
        assert_eq!(
            err,
            CompatError::InvalidDate {
                value: bad.into(),
                newest: date("2026-11-17")
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "Invalid compatibility date: {bad} (expected a date written YYYY-MM-DD, no later \
                 than 2026-11-17, the newest date supported by this server binary)"
            )
        );
    }
}

#[test]
fn redundant_enable_flag_warns_but_resolves() {
    let r = resolve(Some("2026-04-07"), &[AUTO], false).unwrap();
    assert!(r.flags.is_enabled(AUTO));
    assert_eq!(
        r.warnings,
        [CompatWarning::RedundantFlag {
            name: AUTO.into(),
            date: date("2026-04-07"),
            index: 0,
        }]
    );
    assert_eq!(
        r.warnings[0].to_string(),
        "The compatibility flag web_socket_auto_reply_to_close became the default as of 2026-04-07 so does not need to be specified anymore."
    );
    // A disable name is never redundant: it pins behaviour for later dates.
    assert!(
        resolve(Some("2026-01-01"), &[MANUAL], false)
            .unwrap()
            .warnings
            .is_empty()
    );
}

#[test]
fn no_date_uses_newest_and_warns() {
    let r = resolve(None, &[], false).unwrap();
    assert_eq!(r.date, date("2026-11-17"));
    assert_eq!(
        r.warnings,
        [CompatWarning::NoDate {
            newest: date("2026-11-17")
        }]
    );
    assert!(
        r.warnings[0].to_string().contains("2026-11-17"),
        "{}",
        r.warnings[0]
    );
}

#[test]
fn experimental_flag_needs_opt_in() {
    let name = "increase_websocket_message_size";
    assert!(matches!(
        resolve(Some("2026-01-01"), &[name], false),
        Err(CompatError::ExperimentalNotAllowed { name: n, index: 0 }) if n == name
    ));
    let r = resolve(Some("2026-01-01"), &[name], true).unwrap();
    assert!(r.flags.is_enabled(name));
    assert!(r.warnings.is_empty());
    // Opting in alone changes nothing.
    assert!(
        !resolve(Some("2026-01-01"), &[], true)
            .unwrap()
            .flags
            .is_enabled(name)
    );
}

#[test]
fn other_websocket_flags_follow_their_dates() {
    let cases: &[(&str, &str, bool)] = &[
        ("web_socket_compression", "2023-08-14", false),
        ("web_socket_compression", "2023-08-15", true),
        ("websocket_standard_binary_type", "2026-03-16", false),
        ("websocket_standard_binary_type", "2026-03-17", true),
        ("websocket_close_reason_byte_limit", "2026-03-02", false),
        ("websocket_close_reason_byte_limit", "2026-03-03", true),
    ];
    for (name, d, on) in cases {
        assert_eq!(
            Registry::builtin().flags_at(date(d)).is_enabled(name),
            *on,
            "{name} {d}"
        );
    }
    let r = resolve(
        Some("2026-11-17"),
        &[
            "no_web_socket_compression",
            "no_websocket_standard_binary_type",
        ],
        false,
    )
    .unwrap();
    assert!(!r.flags.is_enabled("web_socket_compression"));
    assert!(!r.flags.is_enabled("websocket_standard_binary_type"));
}

#[test]
fn json_is_keyed_by_enable_name_in_registry_order() {
    let flags = resolve(Some("2026-04-06"), &[], false).unwrap().flags;
    assert_eq!(
        flags.to_json(),
        r#"{"web_socket_auto_reply_to_close":false,"web_socket_compression":true,"websocket_standard_binary_type":true,"websocket_close_reason_byte_limit":true,"increase_websocket_message_size":false}"#
    );
    let names: Vec<&str> = flags.iter().map(|f| f.name.as_str()).collect();
    let registry: Vec<&str> = Registry::builtin()
        .flags()
        .iter()
        .map(|f| f.enable.as_str())
        .collect();
    assert_eq!(names, registry);
}

#[test]
fn unknown_names_are_a_bug_in_is_enabled_but_not_in_get() {
    let flags = Registry::builtin().flags_at(date("2026-04-07"));
    assert_eq!(flags.get("no_such_flag"), None);
    assert_eq!(flags.get(AUTO), Some(true));
    let panicked = std::panic::catch_unwind(|| flags.is_enabled("no_such_flag"));
    assert!(panicked.is_err());
}
