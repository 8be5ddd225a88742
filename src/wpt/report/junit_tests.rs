//! The JUnit report parsed back with a real XML parser, checked for what CI
//! viewers rely on: counts that add up, names and messages that survive
//! escaping, no character XML 1.0 forbids.

use super::*;
use crate::runtime::harness::HarnessStatus;
use crate::wpt::expectations::Expected;
use crate::wpt::report::fixture;
use crate::wpt::runner::ConsoleLine;
use crate::wpt::verdict::judge;
use quick_xml::XmlVersion;
use quick_xml::events::Event;

#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("<{}> has no {key}", self.name))
    }

    fn count(&self, key: &str) -> usize {
        self.attr(key).parse().unwrap()
    }

    fn children(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

fn element(e: &quick_xml::events::BytesStart) -> Element {
    Element {
        name: e.name().0.to_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                let key = a.key.0.to_owned();
                (
                    key,
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    }
}

/// The document's root element.
fn parse(xml: &str) -> Element {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .expect("only predefined entities")
                        .to_owned(),
                };
                stack.last_mut().unwrap().text.push_str(&resolved);
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

fn result_of(case: &Element) -> &str {
    match case.children.first() {
        None => "pass",
        Some(child) => child.name.as_str(),
    }
}

#[test]
fn counts_add_up_and_names_survive_escaping() {
    let xml = render(&fixture::judged(), Duration::from_millis(1500));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let root = parse(&xml);
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("time"), "1.500");
    let suites = root.children("testsuite");
    assert_eq!(suites.len(), 6);
    let mut totals = [0; 4];
    for suite in &suites {
        let cases = suite.children("testcase");
        let with = |tag: &str| cases.iter().filter(|c| result_of(c) == tag).count();
        let counts = [cases.len(), with("failure"), with("error"), with("skipped")];
        assert_eq!(
            counts,
            ["tests", "failures", "errors", "skipped"].map(|k| suite.count(k)),
            "{}",
            suite.attr("name")
        );
        assert!(suite.attr("time").parse::<f64>().is_ok());
        for (total, n) in totals.iter_mut().zip(counts) {
            *total += n;
        }
    }
    assert_eq!(
        totals,
        ["tests", "failures", "errors", "skipped"].map(|k| root.count(k))
    );
    assert_eq!(totals, [13, 4, 1, 4]);

    let b = suites[1];
    assert_eq!(b.attr("name"), "ws/b.any.js");
    assert_eq!(b.attr("time"), "0.500");
    let cases = b.children("testcase");
    assert!(cases.iter().all(|c| c.attr("classname") == "ws.b.any.js"));
    let names: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
    assert_eq!(
        names,
        [
            "sends <text> & \"quotes\"",
            "waits",
            "known # hash",
            "fixed",
            "fine"
        ]
    );
    let failure = &cases[0].children[0];
    assert_eq!(failure.name, "failure");
    assert_eq!(failure.attr("type"), "FAIL");
    // A newline in an attribute survives as &#10;.
    assert_eq!(
        failure.attr("message"),
        "assert_equals: expected 1 but got 2\nsecond line"
    );
    assert_eq!(
        failure.text,
        "assert_equals: expected 1 but got 2\nsecond line\n    \
         at Test.<anonymous> (ws/b.any.js:3:14)\n    at ws/b.any.js:3:1"
    );
    assert_eq!(cases[1].children[0].attr("type"), "TIMEOUT");
    assert_eq!(
        cases[2].children[0].attr("message"),
        "known failure: FAIL: not yet"
    );
    assert_eq!(cases[3].children[0].attr("type"), "UNEXPECTED_PASS");
    assert_eq!(result_of(cases[4]), "pass");
    let out = b.children("system-out");
    // The escape character cannot be in XML 1.0: it is spelled out.
    assert_eq!(out[0].text, "[log] hello\\u{1b}[31m\n[error] bad <thing>");

    let c = suites[2];
    assert_eq!(c.attr("name"), "ws/c.any.js?default");
    let error = &c.children("testcase")[0];
    assert_eq!(error.attr("name"), "[file]");
    assert_eq!(error.attr("classname"), "ws.c.any.js?default");
    assert_eq!(error.children[0].name, "error");
    assert_eq!(error.children[0].attr("type"), "ERROR");
    assert_eq!(error.children[0].attr("message"), "script=/x.js: not found");

    let known_timeout = &suites[3].children("testcase")[0];
    assert_eq!(
        known_timeout.children[0].attr("message"),
        "known failure: harness TIMEOUT: file timed out"
    );
    let skipped = &suites[4].children("testcase")[0];
    assert_eq!(
        skipped.children[0].attr("message"),
        "variant ?wss needs TLS"
    );
    let xpass = &suites[5].children("testcase")[0];
    assert_eq!(xpass.attr("name"), "[file]");
    assert_eq!(xpass.children[0].attr("type"), "UNEXPECTED_PASS");
}

#[test]
fn characters_xml_forbids_are_spelled_out() {
    let mut j = fixture::judged().remove(2);
    let nasty = "nul\0 bell\u{7} esc\u{1b} tab\t cr\r nonchar\u{FFFE} ok\u{E9}\u{1F600} ]]>";
    if let Outcome::Ran { report, console } = &mut j.result.outcome {
        report.message = Some(nasty.into());
        report.status = HarnessStatus::Error;
        console.push(ConsoleLine {
            level: "log".into(),
            text: nasty.into(),
        });
    }
    let j = judge(j.result, Expected::Pass);
    let xml = render(&[j], Duration::ZERO);
    let forbidden: Vec<char> = xml.chars().filter(|c| super::forbidden(*c)).collect();
    assert_eq!(forbidden, Vec::<char>::new());
    let root = parse(&xml);
    let suite = &root.children[0];
    let spelled =
        "nul\\u{0} bell\\u{7} esc\\u{1b} tab\t cr\r nonchar\\u{fffe} ok\u{E9}\u{1F600} ]]>";
    assert_eq!(suite.children[0].children[0].attr("message"), spelled);
    assert_eq!(
        suite.children("system-out")[0].text,
        format!("[log] {spelled}")
    );
}
