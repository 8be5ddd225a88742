//! The scripted WebSocket client of `hearth compare`: what it does, one
//! step per line.
//!
//! ```text
//! # comments start with '#'
//! path /chat            # request path (default /); before the first step
//! protocol echo         # offer a subprotocol (repeatable); before the first step
//! send "hello"          # a text message (a JSON string)
//! send-binary 4         # a binary message of N bytes
//! close 1000 "bye"      # a Close frame with code and reason ("" allowed)
//! close 1000            # a Close frame with a code only
//! close                 # an empty Close frame
//! wait message          # until a message arrives
//! wait close            # until a Close frame arrives or the connection ends
//! wait 250ms            # a pause (also: 2s)
//! drop                  # end TCP without a Close frame
//! ```
//!
//! Waits are bounded (`--wait`): what did not come is recorded, which is
//! often the point (no Close reply with the flag off).

use std::path::Path;
use std::time::Duration;

/// The largest binary message a script may send: the default message size
/// limit (a larger one only tests the limit).
pub const MAX_BINARY: usize = crate::ws::DEFAULT_MAX_MESSAGE_SIZE;

/// One step of a client script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    SendText(String),
    SendBinary(usize),
    /// `None`: an empty Close frame; a code may come without a reason.
    Close(Option<(u16, String)>),
    WaitMessage,
    WaitClose,
    Pause(Duration),
    Drop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientScript {
    pub path: String,
    pub protocols: Vec<String>,
    pub steps: Vec<Step>,
}

impl Default for ClientScript {
    /// Open, send a message, close with 1000 and wait for the answer.
    fn default() -> Self {
        ClientScript {
            path: "/".into(),
            protocols: vec![],
            steps: vec![
                Step::SendText("hello".into()),
                Step::Close(Some((1000, "bye".into()))),
                Step::WaitClose,
            ],
        }
    }
}

/// A client script that cannot be read (`line` 0) or a line of it that
/// does not parse: `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", if *line == 0 { String::new() } else { format!(":{line}") })]
pub struct ScriptError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl ClientScript {
    pub fn read(path: &Path) -> Result<ClientScript, ScriptError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScriptError {
            file: path.display().to_string(),
            line: 0,
            message: format!("cannot read the client script: {e}"),
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, file: &str) -> Result<ClientScript, ScriptError> {
        let mut script = ClientScript {
            path: "/".into(),
            protocols: vec![],
            steps: vec![],
        };
        for (index, raw) in text.lines().enumerate() {
            let fail = |message: String| ScriptError {
                file: file.to_owned(),
                line: index + 1,
                message,
            };
            let line = strip_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let rest = rest.trim();
            match word {
                "path" | "protocol" if !script.steps.is_empty() => {
                    return Err(fail(format!("`{word}` must come before the first step")));
                }
                "path" if rest.starts_with('/') => script.path = rest.to_owned(),
                "path" => return Err(fail(format!("a path starts with '/': {rest:?}"))),
                "protocol" if !rest.is_empty() => script.protocols.push(rest.to_owned()),
                _ => script.steps.push(parse_step(word, rest).map_err(fail)?),
            }
        }
        Ok(script)
    }
}

/// `#` starts a comment unless it is inside a quoted string.
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

fn parse_step(word: &str, rest: &str) -> Result<Step, String> {
    match (word, rest) {
        ("send", text) => Ok(Step::SendText(json_string(text)?)),
        ("send-binary", n) => n
            .parse()
            .ok()
            .filter(|&n| n <= MAX_BINARY)
            .map(Step::SendBinary)
            .ok_or_else(|| {
                format!("send-binary takes a byte count up to {MAX_BINARY} (32 MiB), not {n:?}")
            }),
        ("close", "") => Ok(Step::Close(None)),
        ("close", args) => {
            let (code, reason) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
            let code: u16 = code
                .parse()
                .map_err(|_| format!("close takes a code (0-65535), not {code:?}"))?;
            let reason = match reason.trim() {
                "" => String::new(),
                quoted => json_string(quoted)?,
            };
            Ok(Step::Close(Some((code, reason))))
        }
        ("wait", "message") => Ok(Step::WaitMessage),
        ("wait", "close") => Ok(Step::WaitClose),
        ("wait", time) => parse_duration(time).map(Step::Pause),
        ("drop", "") => Ok(Step::Drop),
        _ => Err(format!(
            "unknown step {:?}; expected path, protocol, send, send-binary, close, wait or drop",
            format!("{word} {rest}").trim()
        )),
    }
}

fn json_string(text: &str) -> Result<String, String> {
    serde_json::from_str::<String>(text)
        .map_err(|_| format!("expected a quoted string like \"hello\", got {text:?}"))
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("wait takes `message`, `close` or a time like 250ms or 2s, not {text:?}");
    if let Some(ms) = text.strip_suffix("ms") {
        return ms.parse().map(Duration::from_millis).map_err(|_| bad());
    }
    if let Some(s) = text.strip_suffix('s') {
        // try_from: negative, NaN and huge values are refused, not a panic.
        return s
            .parse()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .ok_or_else(bad);
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_parses() {
        let script = ClientScript::parse(
            "# a comment\npath /chat?x=1\nprotocol echo\nsend \"hi # not a comment\"  # comment\n\
             send-binary 3\nclose 4000 \"r\"\nclose 1000\nclose\nwait message\nwait close\n\
             wait 250ms\nwait 1.5s\ndrop\n",
            "s.txt",
        )
        .unwrap();
        assert_eq!(script.path, "/chat?x=1");
        assert_eq!(script.protocols, ["echo"]);
        assert_eq!(
            script.steps,
            [
                Step::SendText("hi # not a comment".into()),
                Step::SendBinary(3),
                Step::Close(Some((4000, "r".into()))),
                Step::Close(Some((1000, String::new()))),
                Step::Close(None),
                Step::WaitMessage,
                Step::WaitClose,
                Step::Pause(Duration::from_millis(250)),
                Step::Pause(Duration::from_millis(1500)),
                Step::Drop,
            ]
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            (
                "send hello",
                "s.txt:1: expected a quoted string like \"hello\", got \"hello\"",
            ),
            (
                "\n\nclose abc",
                "s.txt:3: close takes a code (0-65535), not \"abc\"",
            ),
            (
                "wait forever",
                "s.txt:1: wait takes `message`, `close` or a time like 250ms or 2s, not \"forever\"",
            ),
            (
                "send \"a\"\npath /x",
                "s.txt:2: `path` must come before the first step",
            ),
            (
                "jump",
                "s.txt:1: unknown step \"jump\"; expected path, protocol, send, send-binary, close, wait or drop",
            ),
        ];
        for (text, message) in cases {
            let e = ClientScript::parse(text, "s.txt").unwrap_err();
            assert_eq!(e.to_string(), message);
        }
    }
}
