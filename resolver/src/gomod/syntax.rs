//! The comment-preserving syntax tree of go.mod and go.work files (x/mod
//! `FileSyntax`), and the statement parser that builds it.
//!
//! `fix` rewrites files without disturbing what the user wrote, and
//! deprecation notices and retraction rationales live in comments, so the tree
//! keeps every comment where x/mod attaches it (`assignComments`) and every
//! node keeps its position.

use super::error::SyntaxError;
use super::lex::{Kind, Lexer, Token};
use crate::span::Span;

/// A place in the file: 1-based line, 1-based column counted in characters
/// (as the go command counts), and byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset.
    pub byte: usize,
}

/// One `//` comment; an empty `token` marks a blank line inside a block,
/// which x/mod keeps because it changes which comments belong to what.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comment {
    /// Where the `//` starts.
    pub start: Position,
    /// The text including `//`, without the line end.
    pub token: String,
    /// Whether code precedes it on its line.
    pub suffix: bool,
}

impl Comment {
    /// The comment's bytes.
    pub fn span(&self) -> Span {
        Span::new(self.start.byte, self.start.byte + self.token.len())
    }
}

/// Comments attached to a node: whole lines above it, and end-of-line ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comments {
    /// Comment lines directly above.
    pub before: Vec<Comment>,
    /// Comments after the node on its line.
    pub suffix: Vec<Comment>,
}

/// A line of tokens: a directive, or one entry of a block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    /// Its comments.
    pub comments: Comments,
    /// Start of the first token.
    pub start: Position,
    /// The tokens as written (strings keep their quotes).
    pub tokens: Vec<String>,
    /// End of the last token.
    pub end: Position,
    /// Whether the line is inside a block (the verb is then the block's).
    pub in_block: bool,
}

impl Line {
    /// The bytes from the first token to the end of the last.
    pub fn span(&self) -> Span {
        Span::new(self.start.byte, self.end.byte)
    }
}

/// A parenthesis of a block, which carries comments of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paren {
    /// Its comments (the `(`'s suffix, the comment lines above the `)`).
    pub comments: Comments,
    /// Where it is.
    pub pos: Position,
}

/// A `verb ( ... )` block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineBlock {
    /// Comment lines above the header.
    pub comments: Comments,
    /// Start of the header.
    pub start: Position,
    /// The header tokens (just the verb, in a valid file).
    pub tokens: Vec<String>,
    /// The `(`.
    pub lparen: Paren,
    /// The entries.
    pub lines: Vec<Line>,
    /// The `)`.
    pub rparen: Paren,
}

impl LineBlock {
    /// The bytes from the header to the closing parenthesis.
    pub fn span(&self) -> Span {
        Span::new(self.start.byte, self.rparen.pos.byte + 1)
    }
}

/// Comment lines standing alone, separated from what follows by a blank line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommentBlock {
    /// The comments (in `before`).
    pub comments: Comments,
    /// Where the first comment starts.
    pub start: Position,
}

/// A top-level statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stmt {
    /// Free-standing comments.
    Comments(CommentBlock),
    /// A single-line directive.
    Line(Line),
    /// A block directive.
    Block(LineBlock),
}

/// A whole file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileSyntax {
    /// Comments that belong to no statement.
    pub before: Vec<Comment>,
    /// The statements, in order.
    pub stmts: Vec<Stmt>,
}

/// Parse `text` into a syntax tree; the first syntax error stops the parse,
/// as in x/mod.
pub(crate) fn parse(file_name: &str, text: &str) -> Result<FileSyntax, SyntaxError> {
    let mut parser = Parser {
        name: file_name,
        lex: Lexer::new(text)?,
        file: FileSyntax::default(),
    };
    parser.file()?;
    let suffixes = std::mem::take(&mut parser.lex.suffix_comments);
    let mut file = parser.file;
    assign_suffix_comments(&mut file, suffixes);
    Ok(file)
}

struct Parser<'a> {
    name: &'a str,
    lex: Lexer<'a>,
    file: FileSyntax,
}

impl Parser<'_> {
    /// Statements, with comment lines directly above a statement attached to
    /// it and comment lines followed by a blank line kept on their own.
    fn file(&mut self) -> Result<(), SyntaxError> {
        let mut pending: Option<CommentBlock> = None;
        loop {
            match self.lex.peek() {
                Kind::Punct('\n') => {
                    self.lex.lex()?;
                    if let Some(block) = pending.take() {
                        self.file.stmts.push(Stmt::Comments(block));
                    }
                }
                Kind::Comment => {
                    let tok = self.lex.lex()?;
                    let block = pending.get_or_insert_with(|| CommentBlock {
                        start: tok.pos,
                        ..CommentBlock::default()
                    });
                    block.comments.before.push(Comment {
                        start: tok.pos,
                        token: tok.text,
                        suffix: false,
                    });
                }
                Kind::Eof => {
                    if let Some(block) = pending.take() {
                        self.file.stmts.push(Stmt::Comments(block));
                    }
                    return Ok(());
                }
                _ => {
                    let mut stmt = self.stmt()?;
                    if let Some(block) = pending.take() {
                        stmt_comments(&mut stmt).before = block.comments.before;
                    }
                    self.file.stmts.push(stmt);
                }
            }
        }
    }

    /// One statement: a line, or a block when `(` ends the line.
    fn stmt(&mut self) -> Result<Stmt, SyntaxError> {
        let first = self.lex.lex()?;
        let start = first.pos;
        let mut end = first.end;
        let mut tokens = vec![first.text];
        loop {
            let tok = self.lex.lex()?;
            if tok.kind.is_eol() {
                return Ok(Stmt::Line(Line {
                    start,
                    tokens,
                    end,
                    ..Line::default()
                }));
            }
            if tok.kind == Kind::Punct('(') {
                if self.lex.peek().is_eol() {
                    return Ok(Stmt::Block(self.block(start, tokens, &tok)?));
                }
                if self.lex.peek() == Kind::Punct(')') {
                    let rparen = self.lex.lex()?;
                    if self.lex.peek().is_eol() {
                        self.lex.lex()?;
                        return Ok(Stmt::Block(LineBlock {
                            start,
                            tokens,
                            lparen: Paren {
                                pos: tok.pos,
                                ..Paren::default()
                            },
                            rparen: Paren {
                                pos: rparen.pos,
                                ..Paren::default()
                            },
                            ..LineBlock::default()
                        }));
                    }
                    tokens.push(tok.text);
                    tokens.push(rparen.text);
                    continue;
                }
                tokens.push(tok.text);
                continue;
            }
            tokens.push(tok.text);
            end = tok.end;
        }
    }

    /// The lines of a block up to its `)`; blank lines become empty comments
    /// so that a comment separated from a line by a blank line is not its own.
    fn block(
        &mut self,
        start: Position,
        tokens: Vec<String>,
        lparen: &Token,
    ) -> Result<LineBlock, SyntaxError> {
        let mut block = LineBlock {
            start,
            tokens,
            lparen: Paren {
                pos: lparen.pos,
                ..Paren::default()
            },
            lines: Vec::with_capacity(self.lex.lines_to_block_end()),
            ..LineBlock::default()
        };
        let mut comments: Vec<Comment> = Vec::new();
        loop {
            match self.lex.peek() {
                Kind::EolComment => {
                    self.lex.lex()?;
                }
                Kind::Punct('\n') => {
                    self.lex.lex()?;
                    let after_line = comments.is_empty() && !block.lines.is_empty();
                    let after_comment = comments.last().is_some_and(|c| !c.token.is_empty());
                    if after_line || after_comment {
                        comments.push(Comment::default());
                    }
                }
                Kind::Comment => {
                    let tok = self.lex.lex()?;
                    comments.push(Comment {
                        start: tok.pos,
                        token: tok.text,
                        suffix: false,
                    });
                }
                Kind::Eof => {
                    return Err(self.lex.error_here(format!(
                        "syntax error (unterminated block started at {}:{}:{})",
                        self.name, block.start.line, block.start.column
                    )));
                }
                Kind::Punct(')') => {
                    let rparen = self.lex.lex()?;
                    if comments.len() == 1 && comments[0] == Comment::default() {
                        comments.clear();
                    }
                    block.rparen = Paren {
                        pos: rparen.pos,
                        comments: Comments {
                            before: comments,
                            suffix: Vec::new(),
                        },
                    };
                    if !self.lex.peek().is_eol() {
                        return Err(self
                            .lex
                            .error_here("syntax error (expected newline after closing paren)"));
                    }
                    self.lex.lex()?;
                    return Ok(block);
                }
                _ => {
                    let mut line = self.line()?;
                    line.comments.before = std::mem::take(&mut comments);
                    block.lines.push(line);
                }
            }
        }
    }

    /// One entry of a block.
    fn line(&mut self) -> Result<Line, SyntaxError> {
        let first = self.lex.lex()?;
        let start = first.pos;
        let mut end = first.end;
        // Room for a requirement (path, version) or a replacement's four.
        let mut tokens = Vec::with_capacity(4);
        tokens.push(first.text);
        loop {
            let tok = self.lex.lex()?;
            if tok.kind.is_eol() {
                return Ok(Line {
                    start,
                    tokens,
                    end,
                    in_block: true,
                    ..Line::default()
                });
            }
            tokens.push(tok.text);
            end = tok.end;
        }
    }
}

fn stmt_comments(stmt: &mut Stmt) -> &mut Comments {
    match stmt {
        Stmt::Comments(c) => &mut c.comments,
        Stmt::Line(l) => &mut l.comments,
        Stmt::Block(b) => &mut b.comments,
    }
}

/// A node that can own suffix comments, named by where it sits in the tree.
#[derive(Clone, Copy)]
enum Node {
    Stmt(usize),
    LParen(usize),
    BlockLine(usize, usize),
    RParen(usize),
}

/// x/mod's `assignComments`: each end-of-line comment goes to the last
/// single-line node (in post-order) that ends before it; leftovers go to the
/// file. Multi-line blocks never own suffix comments.
fn assign_suffix_comments(file: &mut FileSyntax, mut suffixes: Vec<Comment>) {
    let nodes = file
        .stmts
        .iter()
        .map(|s| match s {
            Stmt::Block(b) => b.lines.len() + 3,
            _ => 1,
        })
        .sum();
    let mut post: Vec<(Node, Position, Position)> = Vec::with_capacity(nodes);
    for (i, stmt) in file.stmts.iter().enumerate() {
        match stmt {
            Stmt::Comments(c) => post.push((Node::Stmt(i), c.start, c.start)),
            Stmt::Line(l) => post.push((Node::Stmt(i), l.start, l.end)),
            Stmt::Block(b) => {
                post.push((Node::LParen(i), b.lparen.pos, after_paren(b.lparen.pos)));
                for (j, l) in b.lines.iter().enumerate() {
                    post.push((Node::BlockLine(i, j), l.start, l.end));
                }
                post.push((Node::RParen(i), b.rparen.pos, after_paren(b.rparen.pos)));
                post.push((Node::Stmt(i), b.start, after_paren(b.rparen.pos)));
            }
        }
    }
    for &(node, start, end) in post.iter().rev() {
        if start.line != end.line {
            continue;
        }
        // `suffixes` is in file order: the comments from `end` on are its tail.
        let from = suffixes.partition_point(|c| c.start.byte < end.byte);
        if from < suffixes.len() {
            let target = node_comments(file, node);
            let mut taken = suffixes.split_off(from);
            taken.append(&mut target.suffix);
            target.suffix = taken;
        }
    }
    file.before.extend(suffixes);
}

fn after_paren(pos: Position) -> Position {
    Position {
        column: pos.column + 1,
        byte: pos.byte + 1,
        ..pos
    }
}

fn node_comments(file: &mut FileSyntax, node: Node) -> &mut Comments {
    match node {
        Node::Stmt(i) => stmt_comments(&mut file.stmts[i]),
        Node::LParen(i) | Node::BlockLine(i, _) | Node::RParen(i) => {
            let Stmt::Block(block) = &mut file.stmts[i] else {
                unreachable!("only blocks have parentheses and lines")
            };
            match node {
                Node::LParen(_) => &mut block.lparen.comments,
                Node::RParen(_) => &mut block.rparen.comments,
                Node::BlockLine(_, j) => &mut block.lines[j].comments,
                Node::Stmt(_) => unreachable!("handled above"),
            }
        }
    }
}
