//! Go's `strconv` quoting both ways: `%q` formatting (`strconv.Quote`,
//! `strconv.QuoteRune`), so that our error messages read exactly like the go
//! command's, and `strconv.Unquote`/`QuotedPrefix`, which x/mod applies to
//! every quoted go.mod argument and `runtime/debug.ParseBuildInfo` to
//! build-setting keys and values.
//!
//! Go keeps printable runes as they are and escapes the rest; Rust's `{:?}`
//! escapes differently (`\u{a0}` against Go's `\u00a0`).

use std::fmt::Write;

// Re-exported: the go.mod lexer quotes and checks characters the same way.
pub(crate) use super::gounicode::is_print;

/// `s` in double quotes, escaped as Go's `strconv.Quote` does.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// `c` in single quotes, escaped as Go's `strconv.QuoteRune` does.
pub(crate) fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if is_print(c) {
        out.push(c);
        return;
    }
    let escaped = match c {
        '\x07' => "\\a",
        '\x08' => "\\b",
        '\x0c' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\x0b' => "\\v",
        _ => "",
    };
    if !escaped.is_empty() {
        out.push_str(escaped);
    } else if u32::from(c) < 0x80 {
        let _ = write!(out, "\\x{:02x}", u32::from(c));
    } else if u32::from(c) < 0x1_0000 {
        let _ = write!(out, "\\u{:04x}", u32::from(c));
    } else {
        let _ = write!(out, "\\U{:08x}", u32::from(c));
    }
}

/// The length of the Go quoted string (`"…"` or `` `…` ``) at the start of `text`,
/// or `None` when `text` does not start with a valid one (`strconv.QuotedPrefix`).
pub(crate) fn quoted_prefix_len(text: &[u8]) -> Option<usize> {
    unquote_prefix(text).map(|(_, len)| len)
}

/// The value of the Go quoted string `text`, which must be exactly one quoted
/// string (`strconv.Unquote` for `"…"` and `` `…` ``).
pub fn unquote(text: &[u8]) -> Option<Vec<u8>> {
    let (value, len) = unquote_prefix(text)?;
    (len == text.len()).then_some(value)
}

/// Unquote the quoted string at the start of `text`: its value and its length.
fn unquote_prefix(text: &[u8]) -> Option<(Vec<u8>, usize)> {
    match *text.first()? {
        b'`' => {
            let end = text[1..].iter().position(|&b| b == b'`')? + 1;
            let value = text[1..end]
                .iter()
                .copied()
                .filter(|&b| b != b'\r')
                .collect();
            Some((value, end + 1))
        }
        b'"' => unquote_interpreted(text),
        _ => None,
    }
}

/// A double-quoted string: escapes are decoded one character at a time, and a raw
/// newline is an error.
fn unquote_interpreted(text: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut rest = &text[1..];
    let mut out = Vec::new();
    while let Some(&first) = rest.first() {
        if first == b'"' {
            return Some((out, text.len() - rest.len() + 1));
        }
        if first == b'\n' {
            return None;
        }
        rest = unquote_char(rest, &mut out)?;
    }
    None
}

/// `strconv.UnquoteChar` with `"` as the quote: decode one character or escape
/// from the start of `text`, append its bytes to `out`, return the rest.
fn unquote_char<'a>(text: &'a [u8], out: &mut Vec<u8>) -> Option<&'a [u8]> {
    let first = text[0];
    if first >= 0x80 {
        let len = utf8_len(text);
        match std::str::from_utf8(&text[..len]) {
            Ok(s) => out.extend_from_slice(s.as_bytes()),
            Err(_) => out.extend_from_slice("\u{fffd}".as_bytes()),
        }
        return Some(&text[len..]);
    }
    if first != b'\\' {
        out.push(first);
        return Some(&text[1..]);
    }
    let (&kind, rest) = text.get(1..)?.split_first()?;
    let simple = match kind {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' | b'"' => Some(kind),
        _ => None,
    };
    if let Some(byte) = simple {
        out.push(byte);
        return Some(rest);
    }
    match kind {
        b'x' => {
            let value = hex_value(rest.get(..2)?)?;
            out.push(u8::try_from(value).ok()?);
            Some(&rest[2..])
        }
        b'u' | b'U' => {
            let digits = if kind == b'u' { 4 } else { 8 };
            let c = char::from_u32(hex_value(rest.get(..digits)?)?)?;
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            Some(&rest[digits..])
        }
        b'0'..=b'7' => {
            let digits = [kind, *rest.first()?, *rest.get(1)?];
            let mut value: u32 = 0;
            for d in digits {
                if !(b'0'..=b'7').contains(&d) {
                    return None;
                }
                value = value * 8 + u32::from(d - b'0');
            }
            out.push(u8::try_from(value).ok()?);
            Some(&rest[2..])
        }
        _ => None,
    }
}

/// The length of the UTF-8 sequence starting `text`, or 1 for an invalid one
/// (Go decodes an invalid byte as a one-byte `RuneError`).
fn utf8_len(text: &[u8]) -> usize {
    let want = match text[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return 1,
    };
    match text.get(..want).map(std::str::from_utf8) {
        Some(Ok(_)) => want,
        _ => 1,
    }
}

fn hex_value(digits: &[u8]) -> Option<u32> {
    digits
        .iter()
        .try_fold(0u32, |acc, &d| Some(acc * 16 + char::from(d).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            quote("é\u{a0}\n\x01\u{feff}😀"),
            r#""é\u00a0\n\x01\ufeff😀""#
        );
        assert_eq!(quote_rune('\''), r"'\''");
        assert_eq!(quote_rune('"'), "'\"'");
        assert_eq!(quote_rune('\u{10ffff}'), r"'\U0010ffff'");
    }

    #[test]
    fn unquotes_go_escapes() {
        assert_eq!(
            unquote(br#""a\tb\x41\u00e9\101\"""#).unwrap(),
            "a\tbA\u{e9}A\"".as_bytes()
        );
        assert_eq!(unquote(b"`a\r\"b`").unwrap(), b"a\"b");
        assert_eq!(unquote(br#""\U0001F600""#).unwrap(), "\u{1f600}".as_bytes());
        assert!(unquote(br#""\400""#).is_none());
        assert!(unquote(b"\"a\nb\"").is_none());
        assert!(unquote(br#""\q""#).is_none());
        assert!(unquote(br#""\ud800""#).is_none());
        assert!(unquote(br#""a"b"#).is_none());
        assert_eq!(quoted_prefix_len(br#""k=v"=x"#), Some(5));
    }

    #[test]
    fn quote_round_trips() {
        for text in ["", "a b", "\"`", "\u{7}\u{1b}x", "tab\there"] {
            assert_eq!(unquote(quote(text).as_bytes()).unwrap(), text.as_bytes());
        }
    }

    #[test]
    fn go_mod_arguments_unquote_as_go_does() {
        let text = |s: &str| unquote(s.as_bytes()).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(text(r#""a\tb""#).as_deref(), Some("a\tb"));
        assert_eq!(
            text(r#""\x41\101\u00e9\U0001F600""#).as_deref(),
            Some("AAé😀")
        );
        assert_eq!(text(r#""\'""#), None);
    }
}
