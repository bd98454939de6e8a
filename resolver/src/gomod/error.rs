//! Parse errors worded and placed as the go command words and places them.
//!
//! The go command prints `file:line: message` (with `:column` when the column
//! is not 1); users compare our output with go's, and the oracle tests compare
//! the line, so each error keeps go's line, column and text, plus the bytes to
//! underline.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

use super::syntax::{Line, Position};
use crate::span::Span;

/// One error in a file, at go's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The file, as named in messages (filled in when the error is reported).
    pub file_name: String,
    /// 1-based line, as the go command reports it.
    pub line: usize,
    /// 1-based column in characters; go prints it only when it is not 1.
    pub column: usize,
    /// The bytes to underline.
    pub span: Span,
    /// go's message, without the `file:line:` prefix.
    pub message: String,
}

impl SyntaxError {
    /// An error at a point, as the lexer and the block parser report them.
    pub(crate) fn at(pos: Position, message: String) -> Self {
        Self {
            file_name: String::new(),
            line: pos.line,
            column: pos.column,
            span: Span::new(pos.byte, pos.byte),
            message,
        }
    }

    /// An error about a whole directive line, reported at its start.
    pub(crate) fn on_line(line: &Line, message: String) -> Self {
        Self {
            file_name: String::new(),
            line: line.start.line,
            column: line.start.column,
            span: line.span(),
            message,
        }
    }

    /// The error as the go command prints it: `file:line: message`, with
    /// `:column` only when the column is not 1.
    pub fn go_text(&self) -> String {
        let file = &self.file_name;
        if self.column > 1 {
            format!("{file}:{}:{}: {}", self.line, self.column, self.message)
        } else {
            format!("{file}:{}: {}", self.line, self.message)
        }
    }
}

/// Why a go.mod, go.work or go.sum file could not be read: every error
/// found, printed as the go command prints them, and rendered by miette with
/// each offending line underlined.
#[derive(Debug)]
pub struct ParseError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    file_name: String,
    errors: Vec<SyntaxError>,
    text: String,
    code: NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl ParseError {
    /// Errors found in `text`, read from `file_name`.
    pub(crate) fn new(file_name: &str, text: &str, mut errors: Vec<SyntaxError>) -> Self {
        for error in &mut errors {
            file_name.clone_into(&mut error.file_name);
        }
        let labels = errors
            .iter()
            .map(|e| {
                let span = visible(text, e.span);
                LabeledSpan::new(Some(e.message.clone()), span.start, span.len())
            })
            .collect();
        let lines: Vec<String> = errors.iter().map(SyntaxError::go_text).collect();
        Self(Box::new(Inner {
            file_name: file_name.to_owned(),
            text: lines.join("\n"),
            errors,
            code: NamedSource::new(file_name, text.to_owned()),
            labels,
        }))
    }

    /// The file name used in messages.
    pub fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// Every error found (x/mod reports all directive errors of a file at once).
    pub fn errors(&self) -> &[SyntaxError] {
        &self.0.errors
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.text)
    }
}

impl std::error::Error for ParseError {}

impl Diagnostic for ParseError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("tykdeps::parse"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(
            "the go command rejects this file too; fix the line shown",
        ))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.0.code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.0.labels.iter().cloned()))
    }
}

/// Widen a point to the character under it so that there is something to
/// underline.
fn visible(text: &str, span: Span) -> Span {
    if !span.is_empty() {
        return span;
    }
    match text.get(span.start..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' => Span::new(span.start, span.start + c.len_utf8()),
        _ => span,
    }
}
