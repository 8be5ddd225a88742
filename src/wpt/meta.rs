//! `// META: key=value` lines: what a WPT test file asks of its runner.
//!
//! As in WPT's own manifest tool, they are read from the top of the file and
//! end at the first line that is not one (a blank line included). A META
//! line further down is ignored there too; here it also gets a warning, since
//! it is almost certainly a mistake.
//!
//! Which globals hearth runs: hearth is a worker-like global (no `window`,
//! no `document`), so a file runs when its `global=` list names any
//! worker-like scope, or has none (a `.any.js` file's default is window and
//! dedicated worker). `-module` variants run as classic scripts (the file's
//! code is the same); `shadowrealm-in-X` counts as `shadowrealm`, a realm
//! without a DOM. A list of only `window` (or other document scopes) is
//! skipped with the reason.

/// A META value and the (1-based) line it was on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaValue {
    pub line: usize,
    pub value: String,
}

/// Something odd about a META line; the caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaWarning {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// `script=` lines in order: helpers run before the test, in one global.
    pub scripts: Vec<MetaValue>,
    /// `timeout=long`.
    pub long_timeout: bool,
    /// `variant=` values (`?query` or `#fragment`, or empty), in order; none
    /// means one run without a variant.
    pub variants: Vec<MetaValue>,
    pub title: Option<String>,
    /// Every entry of every `global=` line.
    pub globals: Vec<String>,
    pub warnings: Vec<MetaWarning>,
}

/// The global scopes hearth can stand in for (see the module comment).
const RUNNABLE_GLOBALS: &[&str] = &[
    "default",
    "any",
    "worker",
    "dedicatedworker",
    "sharedworker",
    "serviceworker",
    "shadowrealm",
    "jsshell",
];

/// The `// META:` prefix with optional spaces, as WPT's `//\s*META:\s*`.
fn meta_body(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("//")?.trim_start();
    Some(rest.strip_prefix("META:")?.trim_start())
}

pub fn parse(source: &str) -> Meta {
    let mut meta = Meta::default();
    let mut in_header = true;
    for (index, line) in source.lines().enumerate() {
        let line_no = index + 1;
        let body = meta_body(line.trim_end_matches('\r'));
        match (body, in_header) {
            (Some(body), true) => meta.add(line_no, body),
            (Some(_), false) => meta.warn(
                line_no,
                "META line after code is ignored (META lines must come first, with no blank line between)",
            ),
            (None, _) => in_header = false,
        }
    }
    meta
}

impl Meta {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(MetaWarning {
            line,
            message: message.into(),
        });
    }

    fn add(&mut self, line: usize, body: &str) {
        let Some((key, value)) = body.split_once('=') else {
            return self.warn(line, format!("META line without key=value: {body:?}"));
        };
        let (key, value) = (key.trim(), value.trim());
        let entry = MetaValue {
            line,
            value: value.to_owned(),
        };
        match key {
            "script" if value.is_empty() => self.warn(line, "script= without a path is ignored"),
            "script" => self.scripts.push(entry),
            "timeout" if value == "long" => self.long_timeout = true,
            "timeout" => self.warn(
                line,
                format!("timeout={value} is ignored: the only known value is `long`"),
            ),
            "variant" => self.add_variant(entry),
            "title" => self.title = Some(entry.value),
            "global" => self.globals.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|g| !g.is_empty())
                    .map(str::to_owned),
            ),
            _ => self.warn(line, format!("unknown META key `{key}` is ignored")),
        }
    }

    fn add_variant(&mut self, entry: MetaValue) {
        let value = &entry.value;
        if !(value.is_empty() || value.starts_with('?') || value.starts_with('#')) {
            let message = format!("variant={value} is ignored: a variant starts with ? or #");
            return self.warn(entry.line, message);
        }
        if self.variants.iter().any(|v| v.value == *value) {
            let message = format!("variant={value} is repeated; it runs once");
            return self.warn(entry.line, message);
        }
        self.variants.push(entry);
    }

    /// The variants to run: the listed ones, or the single empty one.
    pub fn runs(&self) -> Vec<String> {
        if self.variants.is_empty() {
            vec![String::new()]
        } else {
            self.variants.iter().map(|v| v.value.clone()).collect()
        }
    }
}

/// Why hearth cannot run a file whose `global=` entries are `globals`, or
/// `None` when it can (see the module comment).
pub fn global_skip_reason(globals: &[String]) -> Option<String> {
    if globals.is_empty() {
        return None;
    }
    let runnable = globals.iter().any(|global| {
        let global = global.strip_suffix("-module").unwrap_or(global);
        let global = if global.starts_with("shadowrealm-in-") {
            "shadowrealm"
        } else {
            global
        };
        RUNNABLE_GLOBALS.contains(&global)
    });
    (!runnable).then(|| {
        format!(
            "global={} needs a scope hearth does not have (it runs tests in a worker-like \
             global: worker, dedicatedworker, sharedworker, serviceworker, shadowrealm, jsshell)",
            globals.join(",")
        )
    })
}

/// Why hearth cannot serve a variant (`?wss` needs a TLS WebSocket server,
/// `wpt_flags=h2` an HTTP/2 one, `wpt_flags=https` an HTTPS one), or `None`.
pub fn variant_skip_reason(variant: &str) -> Option<String> {
    let query = variant.strip_prefix('?')?;
    let query = query.split('#').next().unwrap_or_default();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let needs = match (&*key, &*value) {
            ("wss", _) => "a TLS WebSocket server (wss)",
            ("wpt_flags", "h2") => "an HTTP/2 server",
            ("wpt_flags", "https") => "an HTTPS server",
            _ => continue,
        };
        return Some(format!(
            "variant {variant} needs {needs}, which hearth test does not serve"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(line: usize, value: &str) -> MetaValue {
        MetaValue {
            line,
            value: value.into(),
        }
    }

    #[test]
    fn reads_the_header() {
        let meta = parse(
            "// META: script=/common/a.js\n\
             //META:script=b.sub.js\r\n\
             // META: timeout=long\n\
             // META: variant=\n\
             // META: variant=?wss\n\
             // META: title=Some title\n\
             // META: global=window, worker\n\
             // META: global=jsshell\n\
             test(() => {});\n",
        );
        assert_eq!(
            meta.scripts,
            [value(1, "/common/a.js"), value(2, "b.sub.js")]
        );
        assert!(meta.long_timeout);
        assert_eq!(meta.runs(), ["", "?wss"]);
        assert_eq!(meta.title.as_deref(), Some("Some title"));
        assert_eq!(meta.globals, ["window", "worker", "jsshell"]);
        assert_eq!(meta.warnings, []);
    }

    #[test]
    fn header_ends_at_the_first_other_line() {
        let meta = parse("// META: script=a.js\n\n// META: script=b.js\ncode();\n// META: x=y\n");
        assert_eq!(meta.scripts, [value(1, "a.js")]);
        assert_eq!(meta.warnings.len(), 2);
        assert_eq!(meta.warnings[0].line, 3);
        assert!(meta.warnings[0].message.contains("after code"));
        assert_eq!(meta.warnings[1].line, 5);
        assert_eq!(meta.runs(), [""]);
        assert!(!meta.long_timeout);
    }

    #[test]
    fn odd_lines_warn_with_their_line() {
        let meta = parse(
            "// META: flavor=mint\n// META: timeout=short\n// META: nonsense\n\
             // META: variant=wss\n// META: variant=?a\n// META: variant=?a\n// META: script=\n",
        );
        let warnings: Vec<(usize, &str)> = meta
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                (1, "unknown META key `flavor` is ignored"),
                (
                    2,
                    "timeout=short is ignored: the only known value is `long`"
                ),
                (3, "META line without key=value: \"nonsense\""),
                (4, "variant=wss is ignored: a variant starts with ? or #"),
                (6, "variant=?a is repeated; it runs once"),
                (7, "script= without a path is ignored"),
            ]
        );
        assert_eq!(meta.runs(), ["?a"]);
    }

    #[test]
    fn globals_hearth_runs() {
        let globals = |list: &str| -> Vec<String> {
            list.split(',')
                .filter(|g| !g.is_empty())
                .map(str::to_owned)
                .collect()
        };
        for runs in [
            "",
            "worker",
            "window,dedicatedworker",
            "dedicatedworker-module",
            "shadowrealm-in-window",
            "jsshell",
            "default",
            "any",
            "serviceworker",
        ] {
            assert_eq!(global_skip_reason(&globals(runs)), None, "{runs}");
        }
        let reason = global_skip_reason(&globals("window")).unwrap();
        assert!(
            reason.starts_with("global=window needs a scope"),
            "{reason}"
        );
        assert!(global_skip_reason(&globals("window,audioworklet")).is_some());
    }

    #[test]
    fn variants_hearth_cannot_serve() {
        assert_eq!(variant_skip_reason(""), None);
        assert_eq!(variant_skip_reason("?default"), None);
        assert_eq!(variant_skip_reason("?wpt_flags=other"), None);
        assert_eq!(
            variant_skip_reason("?wss").as_deref(),
            Some(
                "variant ?wss needs a TLS WebSocket server (wss), which hearth test does not serve"
            )
        );
        assert!(
            variant_skip_reason("?a=1&wpt_flags=h2")
                .unwrap()
                .contains("HTTP/2")
        );
        assert!(
            variant_skip_reason("?wpt_flags=https")
                .unwrap()
                .contains("HTTPS")
        );
    }
}
