//! Go's `path.Match`, which GOPRIVATE-style pattern lists are matched with.
//!
//! The `glob` crate is not a substitute: it negates classes with `[!...]`
//! where Go uses `[^...]`, and treats `**` specially where Go does not. Here
//! `*` matches a run of non-`/` bytes, `?` one non-`/` character, `[...]` a
//! character class (`^` negates, `a-z` ranges, `\` escapes) and `\` escapes
//! the next character.

/// A pattern Go's `path.Match` rejects (`path.ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadPattern;

/// Whether `name` matches the shell pattern `pattern`, as `path.Match` says.
///
/// Go steps through literal text and skipped stars byte by byte, so the
/// matcher works on bytes and decodes a character only for `?` and classes
/// (a stray continuation byte decodes to U+FFFD, as in Go).
pub(crate) fn matches(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let first = match_chunk(chunk, name);
        if let Ok(Some(t)) = first
            && (t.is_empty() || !pattern.is_empty())
        {
            name = t;
            continue;
        }
        first?;
        if star {
            // Let the star swallow 1, 2, ... bytes, never a `/`.
            for i in 0..name.len() {
                if name[i] == b'/' {
                    break;
                }
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if pattern.is_empty() && !t.is_empty() {
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
            }
        }
        return check_rest(pattern).map(|()| false);
    }
    Ok(name.is_empty())
}

/// Go reports a malformed pattern even when an earlier chunk failed to match.
fn check_rest(mut pattern: &[u8]) -> Result<(), BadPattern> {
    while !pattern.is_empty() {
        let (_, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        match_chunk(chunk, b"")?;
    }
    Ok(())
}

/// Split off leading stars, then the chunk up to the next star outside a class.
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let stars = pattern.iter().take_while(|&&c| c == b'*').count();
    let trimmed = &pattern[stars..];
    let mut in_range = false;
    let mut i = 0;
    while i < trimmed.len() {
        match trimmed[i] {
            b'\\' if i + 1 < trimmed.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => return (stars > 0, &trimmed[..i], &trimmed[i..]),
            _ => {}
        }
        i += 1;
    }
    (stars > 0, trimmed, b"")
}

/// Match `chunk` (no stars) against the start of `s`: `Some(rest of s)` on a
/// match. Like Go, keeps parsing after a mismatch so that a malformed chunk
/// is always reported.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<Option<&'a [u8]>, BadPattern> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        failed = failed || s.is_empty();
        match c {
            b'[' => {
                let r = if failed { '\0' } else { next_char(&mut s) };
                let (matched, rest) = match_class(&chunk[1..], r)?;
                chunk = rest;
                failed = failed || !matched;
            }
            b'?' => {
                if !failed {
                    failed = s[0] == b'/';
                    next_char(&mut s);
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    failed = chunk[0] != s[0];
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok((!failed).then_some(s))
}

/// Decode one character as Go's `utf8.DecodeRune` does: a malformed or
/// truncated sequence is U+FFFD, one byte long.
fn next_char(s: &mut &[u8]) -> char {
    let width = match s.first() {
        None => return '\0',
        Some(0..=0x7F) => 1,
        Some(0xC0..=0xDF) => 2,
        Some(0xE0..=0xEF) => 3,
        Some(0xF0..=0xF7) => 4,
        Some(_) => 0,
    };
    let decoded = s
        .get(..width)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|text| text.chars().next());
    let (c, len) = decoded.map_or((char::REPLACEMENT_CHARACTER, 1), |c| (c, width));
    *s = &s[len..];
    c
}

/// Match `r` against the class whose text (after `[`) starts `chunk`:
/// whether it matched, and the chunk after the closing `]`.
fn match_class(mut chunk: &[u8], r: char) -> Result<(bool, &[u8]), BadPattern> {
    let negated = chunk.first() == Some(&b'^');
    if negated {
        chunk = &chunk[1..];
    }
    let mut matched = false;
    let mut ranges = 0;
    loop {
        if ranges > 0
            && let Some(rest) = chunk.strip_prefix(b"]")
        {
            return Ok((matched != negated, rest));
        }
        let (lo, rest) = class_char(chunk)?;
        let (hi, rest) = match rest.strip_prefix(b"-") {
            Some(after) => class_char(after)?,
            None => (lo, rest),
        };
        chunk = rest;
        matched = matched || (lo <= r && r <= hi);
        ranges += 1;
    }
}

/// One possibly escaped character of a class; there must be more after it.
fn class_char(chunk: &[u8]) -> Result<(char, &[u8]), BadPattern> {
    let mut chunk = match chunk.first() {
        None | Some(b'-' | b']') => return Err(BadPattern),
        Some(b'\\') => &chunk[1..],
        Some(_) => chunk,
    };
    if chunk.is_empty() {
        return Err(BadPattern);
    }
    let c = next_char(&mut chunk);
    if chunk.is_empty() {
        return Err(BadPattern);
    }
    Ok((c, chunk))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_path_match_cases() {
        for (pattern, name, want) in [
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("[\\]a]", "]", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("[^bc", "a", Err(BadPattern)),
            ("a[", "a", Err(BadPattern)),
            ("a[", "ab", Err(BadPattern)),
            ("a[", "x", Err(BadPattern)),
            ("a/b[", "x", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
            ("a\\", "a", Err(BadPattern)),
            ("[]a]", "]", Err(BadPattern)),
            ("[-]", "-", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
            ("a/*", "a/b/c", Ok(false)),
        ] {
            assert_eq!(matches(pattern, name), want, "{pattern} {name}");
        }
    }
}
