//! The go.mod/go.work tokenizer (x/mod `read.go: readToken`).
//!
//! The lexer is a port of x/mod's, down to where it stands when it gives up:
//! the go command reports lexer errors at the lexer's current position, so an
//! error's line and column depend on how far the lexer had read.

use super::error::SyntaxError;
use super::syntax::{Comment, Position};
use crate::version::goquote::{is_print, quote_rune};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// End of input.
    Eof,
    /// A `//` comment after other tokens on its line; ends a statement.
    EolComment,
    /// A bare word.
    Ident,
    /// A `"..."` or `` `...` `` string, quotes included.
    String,
    /// A `//` comment alone on its line.
    Comment,
    /// One of `\n ( ) [ ] { } ,`.
    Punct(char),
}

impl Kind {
    /// Whether the token ends a statement.
    pub(crate) fn is_eol(self) -> bool {
        matches!(self, Kind::Eof | Kind::EolComment | Kind::Punct('\n'))
    }
}

/// One token with where it starts and ends.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) pos: Position,
    pub(crate) end: Position,
    pub(crate) text: String,
}

/// The lexer state: the text, the current position and one token of lookahead.
pub(crate) struct Lexer<'a> {
    text: &'a str,
    pub(crate) pos: Position,
    token: Token,
    /// Every end-of-line comment met so far, in order, for `assign_comments`.
    pub(crate) suffix_comments: Vec<Comment>,
}

const MIXED_COMMENTS: &str = "mod files must use // comments (not /* */ comments)";

impl<'a> Lexer<'a> {
    /// A lexer positioned on the first token of `text`.
    pub(crate) fn new(text: &'a str) -> Result<Self, SyntaxError> {
        let start = Position {
            line: 1,
            column: 1,
            byte: 0,
        };
        let mut lexer = Self {
            text,
            pos: start,
            token: Token {
                kind: Kind::Eof,
                pos: start,
                end: start,
                text: String::new(),
            },
            // Sized for every `//` being one: `// indirect` ends most lines.
            suffix_comments: Vec::with_capacity(text.matches("//").count()),
        };
        lexer.read_token()?;
        Ok(lexer)
    }

    /// The kind of the lookahead token.
    pub(crate) fn peek(&self) -> Kind {
        self.token.kind
    }

    /// Take the lookahead token and read the next one.
    pub(crate) fn lex(&mut self) -> Result<Token, SyntaxError> {
        let eof = Token {
            kind: Kind::Eof,
            pos: self.pos,
            end: self.pos,
            text: String::new(),
        };
        let next = std::mem::replace(&mut self.token, eof);
        self.read_token()?;
        Ok(next)
    }

    /// How many lines there are up to the next line that begins with `)`:
    /// a block's entries, as a hint to size their list (a block of ~1,000
    /// requirements otherwise grows and copies its list ten times).
    pub(crate) fn lines_to_block_end(&self) -> usize {
        let rest = self.rest();
        let block = rest.find("\n)").map_or(rest, |end| &rest[..end]);
        block.bytes().filter(|b| *b == b'\n').count()
    }

    /// An error at the lexer's current position.
    pub(crate) fn error_here(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError::at(self.pos, message.into())
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos.byte..]
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn read_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos.byte += c.len_utf8();
        if c == '\n' {
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += 1;
        }
        Some(c)
    }

    fn finish(&mut self, kind: Kind, start: Position) {
        let mut text = &self.text[start.byte..self.pos.byte];
        if matches!(kind, Kind::Comment | Kind::EolComment) {
            text = text
                .strip_suffix("\r\n")
                .or_else(|| text.strip_suffix('\n'))
                .unwrap_or(text);
        }
        self.token = Token {
            kind,
            pos: start,
            end: self.pos,
            text: text.to_owned(),
        };
    }

    fn read_token(&mut self) -> Result<(), SyntaxError> {
        while let Some(c) = self.peek_char() {
            if matches!(c, ' ' | '\t' | '\r') {
                self.read_char();
                continue;
            }
            if self.rest().starts_with("//") {
                self.read_comment();
                return Ok(());
            }
            if self.rest().starts_with("/*") {
                return Err(self.error_here(MIXED_COMMENTS));
            }
            break;
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            self.finish(Kind::Eof, start);
            return Ok(());
        };
        match c {
            '\n' | '(' | ')' | '[' | ']' | '{' | '}' | ',' => {
                self.read_char();
                self.finish(Kind::Punct(c), start);
                Ok(())
            }
            '"' | '`' => self.read_string(c, start),
            _ => self.read_ident(c, start),
        }
    }

    /// A comment runs to the end of its line; it is a suffix comment when
    /// anything but blanks precedes it on that line.
    fn read_comment(&mut self) {
        let start = self.pos;
        let line_start = self.text[..start.byte].rfind('\n').map_or(0, |i| i + 1);
        let suffix = !self.text[line_start..start.byte].trim().is_empty();
        if let Some(end) = self.rest().find('\n') {
            self.pos.byte += end + 1;
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += self.rest().chars().count();
            self.pos.byte = self.text.len();
        }
        if suffix {
            self.finish(Kind::EolComment, start);
            self.suffix_comments.push(Comment {
                start,
                token: self.token.text.clone(),
                suffix: true,
            });
        } else {
            self.finish(Kind::Comment, start);
        }
    }

    fn read_string(&mut self, quote: char, start: Position) -> Result<(), SyntaxError> {
        self.read_char();
        loop {
            let Some(c) = self.peek_char() else {
                return Err(SyntaxError::at(start, "unexpected EOF in string".into()));
            };
            if c == '\n' {
                return Err(self.error_here("unexpected newline in string"));
            }
            self.read_char();
            if c == quote {
                break;
            }
            if c == '\\' && quote != '`' && self.read_char().is_none() {
                return Err(SyntaxError::at(start, "unexpected EOF in string".into()));
            }
        }
        self.finish(Kind::String, start);
        Ok(())
    }

    fn read_ident(&mut self, first: char, start: Position) -> Result<(), SyntaxError> {
        if !is_ident(first) {
            return Err(
                self.error_here(format!("unexpected input character {}", quote_rune(first)))
            );
        }
        self.skip_ascii_ident();
        while self.peek_char().is_some_and(is_ident) {
            if self.rest().starts_with("//") {
                break;
            }
            if self.rest().starts_with("/*") {
                return Err(self.error_here(MIXED_COMMENTS));
            }
            self.read_char();
        }
        self.finish(Kind::Ident, start);
        Ok(())
    }

    /// Move past the ASCII identifier characters ahead, up to a `//` or
    /// `/*`: most of a go.mod, read a byte at a time instead of decoding
    /// and classifying each character.
    fn skip_ascii_ident(&mut self) {
        let bytes = self.rest().as_bytes();
        let mut n = 0;
        while let Some(&b) = bytes.get(n) {
            let ident = (0x21..0x7f).contains(&b)
                && !matches!(b, b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',');
            if !ident || (b == b'/' && matches!(bytes.get(n + 1), Some(b'/' | b'*'))) {
                break;
            }
            n += 1;
        }
        self.pos.byte += n;
        self.pos.column += n;
    }
}

/// Identifier characters: printable, not space, not punctuation.
pub(crate) fn is_ident(c: char) -> bool {
    !matches!(c, ' ' | '(' | ')' | '[' | ']' | '{' | '}' | ',') && !c.is_whitespace() && is_print(c)
}
