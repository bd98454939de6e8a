//! Go's `strconv` quoting rules, as far as build-info lines need them.
//!
//! `runtime/debug.ParseBuildInfo` unquotes build-setting keys and values with
//! `strconv.Unquote`/`QuotedPrefix`, and `BuildInfo.String` (what `go version -m`
//! prints) re-quotes them with `strconv.Quote`. Reading and re-printing build info
//! byte for byte needs both directions with Go's exact escapes, which no crate
//! provides; quoting is the crate's `version::goquote`, unquoting lives here.

/// The length of the Go quoted string (`"…"` or `` `…` ``) at the start of `text`,
/// or `None` when `text` does not start with a valid one (`strconv.QuotedPrefix`).
pub fn quoted_prefix_len(text: &[u8]) -> Option<usize> {
    unquote_prefix(text).map(|(_, len)| len)
}

/// The value of the Go quoted string `text`, which must be exactly one quoted
/// string (`strconv.Unquote` for `"…"` and `` `…` ``).
pub fn unquote(text: &[u8]) -> Option<Vec<u8>> {
    let (value, len) = unquote_prefix(text)?;
    (len == text.len()).then_some(value)
}

/// `strconv.Quote` (shared with the go.mod error messages).
pub fn quote(text: &str) -> String {
    crate::version::goquote::quote(text)
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
}
