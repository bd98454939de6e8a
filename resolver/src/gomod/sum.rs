//! go.sum files (cmd/go `modfetch.readGoSum`).
//!
//! A go.sum line is three whitespace-separated fields; the go command refuses
//! a file with any other line shape ("wrong number of fields"), skips blank
//! lines, and drops the hash of an empty go.mod that old releases wrote by
//! mistake. tykdeps reads it the same way so that a go.sum it accepts is one
//! the go command accepts.

use super::error::{ParseError, SyntaxError};
use super::{SumFile, SumLine};
use crate::span::Span;

/// The hash of a module tree holding an empty go.mod, written by an old go bug.
const EMPTY_GO_MOD_HASH: &str = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";

/// Parse a go.sum file; every malformed line is reported.
pub fn parse_sum(file_name: &str, text: &str) -> Result<SumFile, ParseError> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let mut start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let span = Span::new(start, start + line.len());
        start = span.end + 1;
        let mut fields = line.split_whitespace();
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (None, ..) => {}
            (Some(_), Some(_), Some(hash), None) if hash == EMPTY_GO_MOD_HASH => {}
            (Some(path), Some(version), Some(hash), None) => {
                let (version, go_mod) = match version.strip_suffix("/go.mod") {
                    Some(v) => (v, true),
                    None => (version, false),
                };
                lines.push(SumLine {
                    path: path.to_owned(),
                    version: version.to_owned(),
                    go_mod,
                    hash: hash.to_owned(),
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
                    line.split_whitespace().count()
                ),
            }),
        }
    }
    if errors.is_empty() {
        Ok(SumFile { lines })
    } else {
        Err(ParseError::new(file_name, text, errors))
    }
}
