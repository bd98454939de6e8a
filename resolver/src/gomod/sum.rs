//! go.sum files (cmd/go `modfetch.readGoSum`).
//!
//! A go.sum line is three whitespace-separated fields; the go command refuses
//! a file with any other line shape ("wrong number of fields"), skips blank
//! lines, and drops the hash of an empty go.mod that old releases wrote by
//! mistake. tykdeps reads it the same way so that a go.sum it accepts is one
//! the go command accepts.

use super::error::{ParseError, SyntaxError};
use super::{SumFile, SumLine};
use crate::source::verify::EMPTY_GO_MOD_HASH;
use crate::span::Span;

/// One go.sum line's fields, borrowed from the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SumFields<'a> {
    /// Module path.
    pub path: &'a str,
    /// Version, without the `/go.mod` suffix.
    pub version: &'a str,
    /// Whether this is the hash of the go.mod file alone.
    pub go_mod: bool,
    /// The hash, e.g. `h1:...`.
    pub hash: &'a str,
    /// The line.
    pub span: Span,
}

/// Parse a go.sum file; every malformed line is reported.
pub fn parse_sum(file_name: &str, text: &str) -> Result<SumFile, ParseError> {
    let mut lines = Vec::new();
    for_each_sum_line(file_name, text, |l| {
        lines.push(SumLine {
            path: l.path.to_owned(),
            version: l.version.to_owned(),
            go_mod: l.go_mod,
            hash: l.hash.to_owned(),
            span: l.span,
        });
    })?;
    Ok(SumFile { lines })
}

/// [`parse_sum`], handing each line's fields, borrowed from `text`, to
/// `line` as it is read: a go.sum of a large module is ~2,400 lines, read
/// on every run, and most callers keep only its `/go.mod` hashes. When the
/// file is malformed, `line` will have seen the well-formed lines.
pub fn for_each_sum_line<'a>(
    file_name: &str,
    text: &'a str,
    mut line: impl FnMut(SumFields<'a>),
) -> Result<(), ParseError> {
    let mut errors = Vec::new();
    let mut start = 0;
    for (index, text_line) in text.split('\n').enumerate() {
        let span = Span::new(start, start + text_line.len());
        start = span.end + 1;
        let mut words = fields(text_line);
        match (words.next(), words.next(), words.next(), words.next()) {
            (None, ..) => {}
            (Some(_), Some(_), Some(hash), None) if hash == EMPTY_GO_MOD_HASH => {}
            (Some(path), Some(version), Some(hash), None) => {
                let (version, go_mod) = match version.strip_suffix("/go.mod") {
                    Some(v) => (v, true),
                    None => (version, false),
                };
                line(SumFields {
                    path,
                    version,
                    go_mod,
                    hash,
                    span,
                });
            }
            _ => errors.push(SyntaxError {
                file_name: String::new(),
                line: index + 1,
                column: 1,
                span,
                message: format!(
                    "malformed go.sum: wrong number of fields {}",
                    fields(text_line).count()
                ),
            }),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ParseError::new(file_name, text, errors))
    }
}

/// The fields of a go.sum line as go's `strings.Fields` splits them: at
/// Unicode white space.
enum Fields<'a> {
    /// A line of printable ASCII, whose only white space is the space (every
    /// line go writes): split at spaces, which a byte search finds.
    Spaced(std::str::Split<'a, char>),
    /// Another ASCII line, split by bytes instead of decoding each
    /// character: the position reached.
    Ascii(&'a str, usize),
    Unicode(std::str::SplitWhitespace<'a>),
}

fn fields(line: &str) -> Fields<'_> {
    if line.bytes().all(|b| (b' '..0x80).contains(&b)) {
        Fields::Spaced(line.split(' '))
    } else if line.is_ascii() {
        Fields::Ascii(line, 0)
    } else {
        Fields::Unicode(line.split_whitespace())
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Self::Spaced(parts) => parts.find(|f| !f.is_empty()),
            Self::Unicode(words) => words.next(),
            Self::Ascii(line, at) => {
                // Unicode's ASCII white space: `is_ascii_whitespace` lacks \v.
                let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
                let bytes = line.as_bytes();
                let start = *at + bytes[*at..].iter().position(|b| !space(b))?;
                let end = bytes[start..]
                    .iter()
                    .position(space)
                    .map_or(bytes.len(), |n| start + n);
                *at = end;
                Some(&line[start..end])
            }
        }
    }
}
