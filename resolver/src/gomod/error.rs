//! Parse errors worded and placed as the go command words and places them.
//!
//! The go command prints `file:line: message` (with `:column` when the column
//! is not 1); users compare our output with go's, and the oracle tests compare
//! the line, so each error keeps go's line, column and text, plus the bytes to
//! underline.

use miette::{Diagnostic, LabeledSpan, NamedSource};
use thiserror::Error;

use super::syntax::{Line, Position};
use crate::span::Span;

/// One error in a file, at go's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
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
            line: pos.line,
            column: pos.column,
            span: Span::new(pos.byte, pos.byte),
            message,
        }
    }

    /// An error about a whole directive line, reported at its start.
    pub(crate) fn on_line(line: &Line, message: String) -> Self {
        Self {
            line: line.start.line,
            column: line.start.column,
            span: line.span(),
            message,
        }
    }

    /// The error as the go command prints it.
    pub fn go_text(&self, file_name: &str) -> String {
        if self.column > 1 {
            format!(
                "{file_name}:{}:{}: {}",
                self.line, self.column, self.message
            )
        } else {
            format!("{file_name}:{}: {}", self.line, self.message)
        }
    }
}

/// Why a go.mod, go.work or go.sum file could not be read.
#[derive(Debug, Error, Diagnostic)]
#[error("{text}")]
#[diagnostic(
    code(tykdeps::parse),
    help("the go command rejects this file too; fix the line shown")
)]
pub struct ParseError {
    /// The file name used in messages.
    pub file_name: String,
    /// Every error found (x/mod reports all directive errors of a file at once).
    pub errors: Vec<SyntaxError>,
    text: String,
    #[source_code]
    code: NamedSource<String>,
    #[label(collection)]
    labels: Vec<LabeledSpan>,
}

impl ParseError {
    /// Errors found in `text`, read from `file_name`.
    pub(crate) fn new(file_name: &str, text: &str, errors: Vec<SyntaxError>) -> Self {
        let labels = errors
            .iter()
            .map(|e| {
                let span = visible(text, e.span);
                LabeledSpan::new(Some(e.message.clone()), span.start, span.len())
            })
            .collect();
        let lines: Vec<String> = errors.iter().map(|e| e.go_text(file_name)).collect();
        Self {
            file_name: file_name.to_owned(),
            text: lines.join("\n"),
            errors,
            code: NamedSource::new(file_name, text.to_owned()),
            labels,
        }
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
