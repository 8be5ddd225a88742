//! JSONC (JSON with comments and trailing commas) to plain JSON, keeping
//! every byte offset and line break where it was so that serde_json's line
//! numbers point into the file the user wrote.
//!
//! Not done with the `json_comments` crate: it blanks the line breaks inside
//! `/* ... */` comments (shifting every later line number) and does not
//! handle trailing commas, which wrangler accepts.

/// A comment that never ends; reported with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnterminatedComment {
    pub line: usize,
}

/// Replaces comments and trailing commas with spaces; line breaks stay.
pub fn to_json(source: &str) -> Result<String, UnterminatedComment> {
    let mut bytes = source.as_bytes().to_vec();
    blank_comments(&mut bytes)?;
    blank_trailing_commas(&mut bytes);
    // Only ASCII bytes were replaced, and every byte of a multi-byte
    // character inside a comment was replaced, so the text is still UTF-8.
    Ok(String::from_utf8(bytes).expect("blanking keeps UTF-8 valid"))
}

fn line_at(bytes: &[u8], index: usize) -> usize {
    bytes[..index].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Skips a string literal starting at `bytes[start] == b'"'`; returns the
/// index after its closing quote (or the end, leaving the error to serde_json).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn blank_comments(bytes: &mut [u8]) -> Result<(), UnterminatedComment> {
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'"', _) => i = skip_string(bytes, i),
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    bytes[i] = b' ';
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                let start = i;
                let end = bytes[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map(|p| i + 2 + p + 2)
                    .ok_or_else(|| UnterminatedComment {
                        line: line_at(bytes, start),
                    })?;
                for b in &mut bytes[start..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn blank_trailing_commas(bytes: &mut [u8]) {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b',' => {
                let next = bytes[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
                if matches!(next, Some(b'}' | b']')) {
                    bytes[i] = b' ';
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_comments_and_trailing_commas_keeping_offsets() {
        let cases = [
            ("{\"a\": 1, // x\n}", "{\"a\": 1      \n}"),
            ("{/* a\nb */\"a\": [1,2,],}", "{    \n    \"a\": [1,2 ] }"),
            (
                "{\"u\": \"// not /* a comment\",}",
                "{\"u\": \"// not /* a comment\" }",
            ),
            ("{\"q\": \"\\\",\"}", "{\"q\": \"\\\",\"}"),
        ];
        for (input, expected) in cases {
            let out = to_json(input).unwrap();
            assert_eq!(out.len(), input.len(), "{input:?}");
            assert_eq!(out.as_bytes(), expected.as_bytes(), "{input:?}");
        }
        // Multi-byte characters inside comments are blanked byte for byte.
        assert_eq!(
            to_json("[1, /* é */ ]").unwrap(),
            format!("[1{}]", " ".repeat(11))
        );
    }

    #[test]
    fn reports_unterminated_comment_line() {
        assert_eq!(
            to_json("{\n\n/* open"),
            Err(UnterminatedComment { line: 3 })
        );
    }
}
