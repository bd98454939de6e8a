//! A syntax tree back to go.mod text, laid out as x/mod `Format` lays it out
//! (tabs in blocks, comments kept where they were attached).
//!
//! `fix` edits the tree and writes it with this printer, so a file the user
//! formatted with the go command stays formatted; the round trip
//! parse → format → parse is tested to give the same tree.

use super::syntax::{Comment, Comments, FileSyntax, Line, LineBlock, Stmt};

/// Format a go.mod or go.work syntax tree.
pub fn format(file: &FileSyntax) -> String {
    let mut p = Printer::default();
    p.file(file);
    let mut out = p.out;
    while out.ends_with('\n') && (out.len() == 1 || out[..out.len() - 1].ends_with('\n')) {
        out.pop();
    }
    out
}

#[derive(Default)]
struct Printer {
    out: String,
    /// End-of-line comments waiting for the line end.
    pending: Vec<Comment>,
    /// Indentation in tabs.
    margin: usize,
}

impl Printer {
    /// Current column (bytes since the last newline).
    fn indent(&self) -> usize {
        self.out.len() - self.out.rfind('\n').map_or(0, |i| i + 1)
    }

    fn trim(&mut self) {
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
    }

    fn tabs(&mut self) {
        for _ in 0..self.margin {
            self.out.push('\t');
        }
    }

    /// End the line: flush pending comments, then a newline (never a third
    /// in a row) and the indentation.
    fn newline(&mut self) {
        if !self.pending.is_empty() {
            self.out.push(' ');
            for (i, comment) in std::mem::take(&mut self.pending).iter().enumerate() {
                if i > 0 {
                    self.trim();
                    self.out.push('\n');
                    self.tabs();
                }
                self.out.push_str(comment.token.trim());
            }
        }
        self.trim();
        if !(self.out.is_empty() || self.out.ends_with("\n\n")) {
            self.out.push('\n');
        }
        self.tabs();
    }

    fn file(&mut self, file: &FileSyntax) {
        for comment in &file.before {
            self.out.push_str(comment.token.trim());
            self.newline();
        }
        for (i, stmt) in file.stmts.iter().enumerate() {
            match stmt {
                Stmt::Comments(block) => self.before(&block.comments),
                Stmt::Line(line) => {
                    self.line(line);
                    self.newline();
                }
                Stmt::Block(block) => {
                    self.block(block);
                    self.newline();
                }
            }
            if i + 1 < file.stmts.len() {
                self.newline();
            }
        }
    }

    fn before(&mut self, comments: &Comments) {
        if comments.before.is_empty() {
            return;
        }
        self.trim();
        if self.indent() > 0 {
            self.out.push('\n');
        }
        self.tabs();
        for comment in &comments.before {
            self.out.push_str(comment.token.trim());
            self.newline();
        }
    }

    fn line(&mut self, line: &Line) {
        self.before(&line.comments);
        self.tokens(&line.tokens);
        self.pending.extend(line.comments.suffix.iter().cloned());
    }

    fn block(&mut self, block: &LineBlock) {
        self.before(&block.comments);
        self.tokens(&block.tokens);
        self.out.push(' ');
        self.before(&block.lparen.comments);
        self.out.push('(');
        self.pending
            .extend(block.lparen.comments.suffix.iter().cloned());
        self.margin += 1;
        for line in &block.lines {
            self.newline();
            self.line(line);
        }
        self.margin -= 1;
        self.newline();
        self.before(&block.rparen.comments);
        self.out.push(')');
        self.pending
            .extend(block.rparen.comments.suffix.iter().cloned());
        self.pending.extend(block.comments.suffix.iter().cloned());
    }

    /// Tokens separated by spaces, except inside brackets and before commas.
    fn tokens(&mut self, tokens: &[String]) {
        let mut sep = "";
        for token in tokens {
            if matches!(token.as_str(), "," | ")" | "]" | "}") {
                sep = "";
            }
            self.out.push_str(sep);
            self.out.push_str(token);
            sep = if matches!(token.as_str(), "(" | "[" | "{") {
                ""
            } else {
                " "
            };
        }
    }
}

#[cfg(test)]
mod not_idempotent_like_go {
    /// A fuzz find: a comment after a line whose quoted token spans lines
    /// (an escaped newline) is attached to an earlier line, as x/mod's
    /// `assignComments` does, and moves again when the output is read back.
    /// x/mod's `Format` prints exactly these two texts (checked with
    /// golang.org/x/mod v0.43.0 `ParseLax` + `Format`), so tykdeps keeps them.
    #[test]
    fn a_comment_after_a_multi_line_token_moves_as_in_go() {
        let text = "'''''%'//\n\"\"\"\\\n\"\n\"\"\"\\\n\"\"\"\t //\0\0\x18)''m(/odule\n)/\"";
        let parse = |t: &str| {
            crate::gomod::parse_mod("go.mod", t, crate::gomod::Mode::Lax).expect("lax parse")
        };
        let once = super::format(&parse(text).syntax);
        let tail = "\n\n\"\" \"\\\n\"\n\n\"\" \"\\\n\" \"\"\n\n) /\"\n";
        assert_eq!(once, format!("'''''%' //\n//\0\0\x18)''m(/odule{tail}"));
        let twice = super::format(&parse(&once).syntax);
        assert_eq!(twice, format!("'''''%' //\n\n//\0\0\x18)''m(/odule{tail}"));
    }

    /// A longer fuzz run's find: the same move changes what the file means
    /// when the comment lands above a `retract`, becoming its rationale. Go
    /// does the same (x/mod v0.43.0 `ParseLax` + `Format` prints this text,
    /// whose retraction then has the rationale "/"), so tykdeps keeps it.
    #[test]
    fn the_moved_comment_becomes_a_retraction_rationale_as_in_go() {
        let text = "retract)\"\\\n\"///";
        let parse = |t: &str| {
            crate::gomod::parse_mod("go.mod", t, crate::gomod::Mode::Lax).expect("lax parse")
        };
        let first = parse(text);
        let once = super::format(&first.syntax);
        assert_eq!(once, "///\nretract) \"\\\n\"\n");
        let rationale = |f: &crate::gomod::ModFile| {
            crate::gomod::mod_json(f)["Retract"][0]["Rationale"].clone()
        };
        assert_eq!(rationale(&first), serde_json::Value::Null);
        assert_eq!(rationale(&parse(&once)), "/");
    }
}
