//! Byte-level surgery on go.mod text for [`super::apply`].
//!
//! An edit is planned as a set of non-overlapping patches against the text it
//! was parsed from, so every span of the syntax tree stays valid while the
//! plan is made; the patches are applied at the end, last first. Each helper
//! here changes whole physical lines or single tokens, which is what keeps
//! untouched lines byte-for-byte as the user wrote them.

use super::super::syntax::{Comment, Comments, Line, LineBlock, Stmt};

/// Planned replacements of byte ranges in one text.
pub(super) struct Patches<'a> {
    text: &'a str,
    /// The file's line ending, used for every line we add.
    nl: &'static str,
    planned: Vec<(usize, usize, String)>,
}

impl<'a> Patches<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Patches {
            text,
            nl,
            planned: Vec::new(),
        }
    }

    /// Replace `start..end` by `with`.
    pub(super) fn replace(&mut self, start: usize, end: usize, with: String) {
        self.planned.push((start, end, with));
    }

    /// The text with every patch applied. Removals may overlap (two
    /// removed statements can each take the blank line between them); any
    /// other overlap is a bug in the plan.
    pub(super) fn finish(mut self) -> String {
        self.planned.sort_by_key(|&(start, end, _)| (start, end));
        let mut merged: Vec<(usize, usize, String)> = Vec::new();
        for (start, end, with) in self.planned {
            match merged.last_mut() {
                Some(last) if start < last.1 => {
                    assert!(
                        with.is_empty() && last.2.is_empty(),
                        "go.mod patches overlap at byte {start}"
                    );
                    last.1 = last.1.max(end);
                }
                _ => merged.push((start, end, with)),
            }
        }
        let mut out = self.text.to_owned();
        for (start, end, with) in merged.into_iter().rev() {
            out.replace_range(start..end, &with);
        }
        out
    }

    /// Remove a line of a block, or a whole one-line statement, with its
    /// end-of-line comment; the comment lines above it stay.
    pub(super) fn remove_line(&mut self, line: &Line) {
        self.remove_lines(line.start.byte, line.end.byte);
    }

    /// Remove a whole block, from its header to its `)`; the comment lines
    /// above the header stay.
    pub(super) fn remove_block(&mut self, block: &LineBlock) {
        self.remove_lines(block.start.byte, block.rparen.pos.byte);
    }

    /// Remove the physical lines holding `first..=last`. A blank line left
    /// doubled (or dangling before a `)` or the end of the file) goes too.
    fn remove_lines(&mut self, first: usize, last: usize) {
        let mut start = line_start(self.text, first);
        let mut end = line_end(self.text, last);
        let after = &self.text[end..];
        let before_blank = start > 0 && self.is_blank_before(start);
        let after_blank = is_blank_line(after);
        if before_blank && (after_blank || after.is_empty() || after.trim_start().starts_with(')'))
        {
            start = line_start(self.text, start - 1);
        } else if start == 0 && after_blank {
            end = line_end(self.text, end);
        }
        self.planned.push((start, end, String::new()));
    }

    /// Whether the physical line ending just before `at` is blank.
    fn is_blank_before(&self, at: usize) -> bool {
        is_blank_line(&self.text[line_start(self.text, at - 1)..at])
    }

    /// Insert `entry` (tokens and comment, no verb) into `block`, before the
    /// first line that sorts after it (x/mod sorts blocks by their tokens),
    /// indented like the block's lines.
    pub(super) fn insert_in_block(&mut self, block: &LineBlock, key: &[String], entry: &str) {
        let indent = block
            .lines
            .first()
            .map_or("\t", |l| self.indent_of(l.start.byte));
        let nl = self.nl;
        if block.lparen.pos.line == block.rparen.pos.line {
            // `verb ()`: open the parentheses onto lines of their own.
            let inside = format!("{nl}{indent}{entry}{nl}");
            self.replace(block.lparen.pos.byte + 1, block.rparen.pos.byte, inside);
            return;
        }
        let at = match block.lines.iter().position(|l| l.tokens.as_slice() > key) {
            Some(0) => line_end(self.text, block.lparen.pos.byte),
            Some(j) => line_end(self.text, block.lines[j - 1].end.byte),
            None => match block.lines.last() {
                Some(last) => line_end(self.text, last.end.byte),
                None => line_start(self.text, block.rparen.pos.byte),
            },
        };
        self.insert(at, format!("{indent}{entry}{nl}"));
    }

    /// Turn the one-line statement `line` into a `verb ( ... )` block holding
    /// it and `entry`, in sorted order (x/mod `addLine` on a line hint).
    pub(super) fn convert_to_block(&mut self, line: &Line, key: &[String], entry: &str) {
        let verb_end = line.start.byte + line.tokens[0].len();
        let rest = &self.text[verb_end..];
        let second = verb_end + rest.len() - rest.trim_start_matches([' ', '\t', '\r']).len();
        let (verb, nl) = (&line.tokens[0], self.nl);
        let eol = eol(self.text, line.end.byte);
        if key < &line.tokens[1..] {
            self.replace(
                line.start.byte,
                second,
                format!("{verb} ({nl}\t{entry}{nl}\t"),
            );
            self.insert(eol, format!("{nl})"));
        } else {
            self.replace(line.start.byte, second, format!("{verb} ({nl}\t"));
            self.insert(eol, format!("{nl}\t{entry}{nl})"));
        }
    }

    /// Add the one-line statement `line` after `stmt`, separated from it as
    /// the statement is separated from what follows (a blank line, or none).
    pub(super) fn insert_stmt_after(&mut self, stmt: &Stmt, line: &str) {
        let at = line_end(self.text, stmt_end(stmt));
        let nl = self.nl;
        let rest = &self.text[at..];
        if at == self.text.len() && !self.text.ends_with('\n') {
            self.insert(at, format!("{nl}{nl}{line}{nl}"));
        } else if rest.is_empty() || is_blank_line(rest) {
            self.insert(at, format!("{nl}{line}{nl}"));
        } else {
            self.insert(at, format!("{line}{nl}"));
        }
    }

    /// Add the one-line statement `line` before `stmt` and its comments.
    pub(super) fn insert_stmt_before(&mut self, stmt: &Stmt, line: &str) {
        let at = line_start(self.text, stmt_start(stmt));
        let nl = self.nl;
        if at == 0 || self.is_blank_before(at) {
            self.insert(at, format!("{line}{nl}{nl}"));
        } else {
            self.insert(at, format!("{line}{nl}"));
        }
    }

    /// Add the one-line statement `line` at the end, after a blank line.
    pub(super) fn append_stmt(&mut self, line: &str) {
        let text = self.text;
        let nl = self.nl;
        let mut add = String::new();
        if !text.is_empty() && !text.ends_with('\n') {
            add.push_str(nl);
        }
        let ends_blank = text.is_empty() || text.ends_with("\n\n") || text.ends_with("\n\r\n");
        if !ends_blank {
            add.push_str(nl);
        }
        add.push_str(line);
        add.push_str(nl);
        self.insert(text.len(), add);
    }

    fn insert(&mut self, at: usize, with: String) {
        self.planned.push((at, at, with));
    }

    /// The blanks before the token at `byte`, if only blanks precede it on
    /// its line.
    fn indent_of(&self, byte: usize) -> &'a str {
        let indent = &self.text[line_start(self.text, byte)..byte];
        if indent.chars().all(|c| c == ' ' || c == '\t') {
            indent
        } else {
            "\t"
        }
    }
}

/// Where the comment lines above a statement start, or the statement itself.
fn stmt_start(stmt: &Stmt) -> usize {
    let (comments, start) = match stmt {
        Stmt::Comments(c) => (&c.comments, c.start.byte),
        Stmt::Line(l) => (&l.comments, l.start.byte),
        Stmt::Block(b) => (&b.comments, b.start.byte),
    };
    first_comment(comments).map_or(start, |c| c.start.byte.min(start))
}

/// The first real comment line (blank-line markers have no position).
fn first_comment(comments: &Comments) -> Option<&Comment> {
    comments.before.iter().find(|c| !c.token.is_empty())
}

/// A byte on a statement's last line.
fn stmt_end(stmt: &Stmt) -> usize {
    match stmt {
        Stmt::Comments(c) => c
            .comments
            .before
            .last()
            .map_or(c.start.byte, |c| c.start.byte),
        Stmt::Line(l) => l.end.byte,
        Stmt::Block(b) => b.rparen.pos.byte,
    }
}

/// The start of the physical line holding `byte`.
pub(super) fn line_start(text: &str, byte: usize) -> usize {
    text[..byte].rfind('\n').map_or(0, |i| i + 1)
}

/// Just after the newline ending the physical line that holds `byte`.
fn line_end(text: &str, byte: usize) -> usize {
    text[byte..].find('\n').map_or(text.len(), |i| byte + i + 1)
}

/// Where the physical line holding `byte` ends, before its line ending.
fn eol(text: &str, byte: usize) -> usize {
    let end = text[byte..].find('\n').map_or(text.len(), |i| byte + i);
    if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

/// Whether `text` starts with a line holding only blanks.
fn is_blank_line(text: &str) -> bool {
    let line = text.split_inclusive('\n').next().unwrap_or("");
    line.ends_with('\n') && line.trim().is_empty()
}
