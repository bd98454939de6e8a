//! Go's `strconv.Unquote` for double-quoted strings, which x/mod applies to
//! every quoted directive argument.
//!
//! Go's escapes differ from Rust's (octal, `\x` bytes, `\U` with eight
//! digits, no `\'` inside double quotes), so they are decoded here by Go's
//! rules; a quoted go.mod argument means exactly what it means to go.

/// The value of the Go string literal `s` (with its double quotes), or `None`
/// where `strconv.Unquote` fails ("invalid syntax").
pub(crate) fn unquote(s: &str) -> Option<String> {
    let body = s.strip_prefix('"')?.strip_suffix('"')?;
    if body.contains('\n') {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => escape(&mut chars, &mut out)?,
            _ => push_char(&mut out, c),
        }
    }
    // Byte escapes may spell invalid UTF-8, which Go keeps and its JSON
    // encoder prints as U+FFFD; the lossy conversion gives the same result.
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Decode one escape (the backslash already read).
fn escape(chars: &mut std::str::Chars<'_>, out: &mut Vec<u8>) -> Option<()> {
    let simple = |c| {
        Some(match c {
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\x0b',
            '\\' => '\\',
            '"' => '"',
            _ => return None,
        })
    };
    let c = chars.next()?;
    if let Some(plain) = simple(c) {
        push_char(out, plain);
        return Some(());
    }
    match c {
        '0'..='7' => {
            let rest = digits(chars, 2, 8)?;
            let value = c.to_digit(8)? * 64 + rest;
            out.push(u8::try_from(value).ok()?);
        }
        'x' => out.push(u8::try_from(digits(chars, 2, 16)?).ok()?),
        'u' => push_char(out, char::from_u32(digits(chars, 4, 16)?)?),
        'U' => push_char(out, char::from_u32(digits(chars, 8, 16)?)?),
        _ => return None,
    }
    Some(())
}

/// Exactly `n` digits in `radix`.
fn digits(chars: &mut std::str::Chars<'_>, n: usize, radix: u32) -> Option<u32> {
    (0..n).try_fold(0u32, |acc, _| {
        Some(acc * radix + chars.next()?.to_digit(radix)?)
    })
}

#[cfg(test)]
mod tests {
    use super::unquote;

    #[test]
    fn go_escapes() {
        assert_eq!(unquote(r#""a\tb""#).as_deref(), Some("a\tb"));
        assert_eq!(
            unquote(r#""\x41\101\u00e9\U0001F600""#).as_deref(),
            Some("AAé😀")
        );
        assert_eq!(unquote(r#""\'""#), None);
        assert_eq!(unquote(r#""\q""#), None);
        assert_eq!(unquote(r#""\400""#), None);
        assert_eq!(unquote(r#""\ud800""#), None);
    }
}
