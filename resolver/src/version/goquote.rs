//! Go's `%q` formatting (`strconv.Quote`, `strconv.QuoteRune`), so that our
//! error messages read exactly like the go command's.
//!
//! Go keeps printable runes as they are and escapes the rest; Rust's `{:?}`
//! escapes differently (`\u{a0}` against Go's `\u00a0`).

use std::fmt::Write;

// Re-exported: the go.mod lexer quotes and checks characters the same way.
pub(crate) use super::gounicode::is_print;

/// `s` in double quotes, escaped as Go's `strconv.Quote` does.
pub(crate) fn quote(s: &str) -> String {
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
}
