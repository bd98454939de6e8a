//! Go's `%q` formatting (`strconv.Quote`, `strconv.QuoteRune`), so that our
//! error messages read exactly like the go command's.
//!
//! Go keeps printable runes as they are and escapes the rest; Rust's `{:?}`
//! escapes differently (`\u{a0}` against Go's `\u00a0`). Go's notion of
//! printable (`unicode.IsPrint`) is approximated from the character
//! properties the standard library offers; the two agree on ASCII and on
//! assigned letters, marks, digits, symbols and spaces.

use std::fmt::Write;

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

/// Go's `unicode.IsPrint`: graphic characters and the ASCII space, but no
/// other spaces, controls, format characters or private-use characters.
pub(crate) fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || is_format(c)
        || is_private_use(c)
        || is_noncharacter(c))
}

/// The Unicode `Cf` (format) characters, which Go does not print.
fn is_format(c: char) -> bool {
    matches!(u32::from(c),
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

fn is_private_use(c: char) -> bool {
    matches!(u32::from(c), 0xE000..=0xF8FF | 0xF_0000..=0xF_FFFD | 0x10_0000..=0x10_FFFD)
}

fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
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
