//! WPT server-side substitution for `.sub.` files: what wptserve does to a
//! file with `.sub.` in its name before serving it. hearth reads the files
//! itself, so it fills the same `{{...}}` templates.
//!
//! Known: `{{host}}`, `{{domains[]}}`, `{{hosts[][]}}` (127.0.0.1: there are
//! no other host names here), `{{ports[ws][0]}}` and `{{ports[http][0]}}`
//! (the test server), `{{ports[wss][0]}}` / `[https]` / `[h2]` (a port
//! nothing listens on: hearth serves no TLS, so a test that tries them gets
//! "connection refused" rather than a hang; their variants are skipped
//! anyway), `{{GET[name]}}` (from the variant's query, "" when absent),
//! `{{location[...]}}` (the test's URL: server, scheme, host, hostname,
//! port, path, pathname, query), `{{url_base}}` and `{{uuid()}}`. Anything
//! else is left as it is, with a warning.

/// What the templates can refer to.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub host: &'a str,
    /// The WebSocket (and HTTP) test server's port.
    pub port: u16,
    /// A port nothing listens on, for the TLS schemes.
    pub closed_port: u16,
    /// The test's URL path (`/dir/file.any.js`).
    pub path: &'a str,
    /// The run's variant (`?query`, `#fragment` or empty).
    pub variant: &'a str,
}

/// A template that was left as it is; the caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub line: usize,
    pub template: String,
}

/// `text` with every known `{{...}}` replaced, and the unknown ones.
pub fn substitute(text: &str, ctx: &Context) -> (String, Vec<Unknown>) {
    let mut out = String::with_capacity(text.len());
    let mut unknown = Vec::new();
    let mut rest = text;
    // wptserve's pattern is `{{([^}]*)}}`: the content has no `}`.
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let content_len = after.find('}').unwrap_or(after.len());
        if !after[content_len..].starts_with("}}") {
            out.push_str("{{");
            rest = after;
            continue;
        }
        let template = &rest[start..start + 2 + content_len + 2];
        match expand(after[..content_len].trim(), ctx) {
            Some(value) => out.push_str(&value),
            None => {
                out.push_str(template);
                let offset = text.len() - rest.len() + start;
                unknown.push(Unknown {
                    line: text[..offset].matches('\n').count() + 1,
                    template: template.to_owned(),
                });
            }
        }
        rest = &after[content_len + 2..];
    }
    out.push_str(rest);
    (out, unknown)
}

fn expand(expr: &str, ctx: &Context) -> Option<String> {
    match expr {
        "host" | "domains[]" | "hosts[][]" => return Some(ctx.host.to_owned()),
        "url_base" => return Some("/".to_owned()),
        "uuid()" => return Some(uuid()),
        _ => {}
    }
    let (name, args) = indexes(expr)?;
    match (name, args.as_slice()) {
        ("ports", [scheme, "0"]) => match *scheme {
            "ws" | "http" => Some(ctx.port.to_string()),
            "wss" | "https" | "h2" => Some(ctx.closed_port.to_string()),
            _ => None,
        },
        ("GET", [key]) => Some(query_value(ctx.variant, key)),
        ("location", [part]) => location(ctx, part),
        _ => None,
    }
}

/// `name[a][b]` → ("name", ["a", "b"]).
fn indexes(expr: &str) -> Option<(&str, Vec<&str>)> {
    let open = expr.find('[')?;
    let (name, mut rest) = expr.split_at(open);
    let mut args = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let close = inner.find(']')?;
        args.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    Some((name, args))
}

fn query_value(variant: &str, key: &str) -> String {
    let query = variant.strip_prefix('?').unwrap_or_default();
    let query = query.split('#').next().unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn location(ctx: &Context, part: &str) -> Option<String> {
    let query = match ctx.variant.split('#').next().unwrap_or_default() {
        q if q.starts_with('?') => q,
        _ => "",
    };
    let host = format!("{}:{}", ctx.host, ctx.port);
    Some(match part {
        "server" => format!("http://{host}"),
        "scheme" => "http".to_owned(),
        "host" => host,
        "hostname" => ctx.host.to_owned(),
        "port" => ctx.port.to_string(),
        "path" | "pathname" => ctx.path.to_owned(),
        "query" => query.to_owned(),
        _ => return None,
    })
}

/// A random (version 4) UUID in its usual text form.
fn uuid() -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(variant: &str) -> Context<'_> {
        Context {
            host: "127.0.0.1",
            port: 8001,
            closed_port: 9,
            path: "/websockets/a.any.js",
            variant,
        }
    }

    #[test]
    fn fills_the_known_templates() {
        let (out, unknown) = substitute(
            "const H = \"{{host}}\", P = {{ports[ws][0]}}, Q = {{ ports[http][0] }};\n\
             const S = {{ports[wss][0]}}, D = '{{domains[]}}';\n\
             const G = '{{GET[x]}}|{{GET[missing]}}', L = '{{location[host]}}{{location[path]}}{{location[query]}}';\n\
             const B = '{{url_base}}', O = '{{location[server]}}';",
            &ctx("?x=a%20b&y"),
        );
        assert_eq!(
            out,
            "const H = \"127.0.0.1\", P = 8001, Q = 8001;\n\
             const S = 9, D = '127.0.0.1';\n\
             const G = 'a b|', L = '127.0.0.1:8001/websockets/a.any.js?x=a%20b&y';\n\
             const B = '/', O = 'http://127.0.0.1:8001';"
        );
        assert_eq!(unknown, []);
    }

    #[test]
    fn leaves_unknown_templates_with_their_line() {
        let text = "a\n{{domains[www]}} {{ports[ws][1]}}\n{{$id:uuid()}} {{headers[x]}}\n";
        let (out, unknown) = substitute(text, &ctx(""));
        assert_eq!(out, text);
        let found: Vec<(usize, &str)> = unknown
            .iter()
            .map(|u| (u.line, u.template.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "{{domains[www]}}"),
                (2, "{{ports[ws][1]}}"),
                (3, "{{$id:uuid()}}"),
                (3, "{{headers[x]}}"),
            ]
        );
    }

    #[test]
    fn braces_that_are_not_templates_stay() {
        for text in [
            "function f() {{}}",
            "{{ unterminated",
            "x = {{a}",
            "{{}",
            "{}}",
        ] {
            let (out, _) = substitute(text, &ctx(""));
            assert_eq!(out, text);
        }
        // `{{}}` is a template with empty content: unknown, left alone.
        let (out, unknown) = substitute("{{}}", &ctx(""));
        assert_eq!((out.as_str(), unknown.len()), ("{{}}", 1));
    }

    #[test]
    fn uuids_look_like_uuids() {
        let (a, _) = substitute("{{uuid()}}", &ctx(""));
        let (b, _) = substitute("{{uuid()}}", &ctx(""));
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_eq!(a.matches('-').count(), 4);
    }

    #[test]
    fn fragment_variants_have_no_query() {
        let (out, _) = substitute("[{{location[query]}}][{{GET[a]}}]", &ctx("#a=1"));
        assert_eq!(out, "[][]");
    }
}
