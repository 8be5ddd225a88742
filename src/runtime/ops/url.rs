//! `urlParse(input, base)`: WHATWG URL parsing by the `url` crate, the
//! components the glue's `URL` class exposes.

use super::js_string;

/// Returns `null` for an invalid URL, else
/// `[href, protocol, username, password, host, hostname, port, pathname, search, hash, origin]`.
pub fn parse(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    let input = args.get(0).to_rust_string_lossy(scope);
    let base = args.get(1);
    let parsed = if base.is_undefined() {
        url::Url::parse(&input)
    } else {
        url::Url::parse(&base.to_rust_string_lossy(scope)).and_then(|b| b.join(&input))
    };
    let Ok(u) = parsed else {
        rv.set_null();
        return;
    };
    let nonempty = |s: &str, prefix: &str| {
        if s.is_empty() {
            String::new()
        } else {
            format!("{prefix}{s}")
        }
    };
    let host = match (u.host_str(), u.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        (None, _) => String::new(),
    };
    let parts = [
        u.as_str().to_owned(),
        format!("{}:", u.scheme()),
        u.username().to_owned(),
        u.password().unwrap_or("").to_owned(),
        host,
        u.host_str().unwrap_or("").to_owned(),
        u.port().map(|p| p.to_string()).unwrap_or_default(),
        u.path().to_owned(),
        nonempty(u.query().unwrap_or(""), "?"),
        nonempty(u.fragment().unwrap_or(""), "#"),
        u.origin().ascii_serialization(),
    ];
    let mut items: Vec<v8::Local<v8::Value>> = Vec::with_capacity(parts.len());
    for part in &parts {
        let Some(string) = js_string(scope, part) else {
            return;
        };
        items.push(string.into());
    }
    rv.set(v8::Array::new_with_elements(scope, &items).into());
}
