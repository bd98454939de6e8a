//! Build constraints (`//go:build` and legacy `// +build` lines), parsed and
//! evaluated as `go/build/constraint` does, so a file's fate under a build
//! configuration is decided exactly as the go command decides it.

use thiserror::Error;

/// A parsed build constraint expression.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expr {
    /// A build tag, true when the configuration satisfies it.
    Tag(String),
    /// `!x`
    Not(Box<Expr>),
    /// `x && y`
    And(Box<Expr>, Box<Expr>),
    /// `x || y`
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// The value of the expression when `tag` says which tags hold.
    pub fn eval(&self, tag: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Tag(t) => tag(t),
            Expr::Not(x) => !x.eval(tag),
            Expr::And(x, y) => x.eval(tag) && y.eval(tag),
            Expr::Or(x, y) => x.eval(tag) || y.eval(tag),
        }
    }
}

/// Why a constraint line could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid build constraint {line:?}: {cause}")]
pub struct ConstraintError {
    /// The line as written.
    pub line: String,
    /// What is wrong with it.
    pub cause: &'static str,
}

/// Whether `line` (trimmed) is a `//go:build` line.
pub fn is_go_build(line: &str) -> bool {
    line.strip_prefix("//go:build")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Whether `line` (trimmed) is a legacy `// +build` line.
pub fn is_plus_build(line: &str) -> bool {
    line.strip_prefix("//")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix("+build"))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// Parse a `//go:build` line: `!`, `&&`, `||` and parentheses over tags.
///
/// # Errors
/// A [`ConstraintError`] when the expression is malformed.
pub fn parse_go_build(line: &str) -> Result<Expr, ConstraintError> {
    let text = line.trim().strip_prefix("//go:build").unwrap_or(line);
    let error = |cause| ConstraintError {
        line: line.to_owned(),
        cause,
    };
    let tokens = tokenize(text).ok_or_else(|| error("unexpected character"))?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.or().map_err(error)?;
    if parser.pos == parser.tokens.len() {
        Ok(expr)
    } else {
        Err(error("unexpected token after expression"))
    }
}

fn tokenize(text: &str) -> Option<Vec<String>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().find(|c| !c.is_whitespace()) {
        rest = rest.trim_start();
        let len = if rest.starts_with("&&") || rest.starts_with("||") {
            2
        } else if c == '!' || c == '(' || c == ')' {
            1
        } else {
            let n: usize = rest
                .chars()
                .take_while(|&c| is_tag_char(c))
                .map(char::len_utf8)
                .sum();
            if n == 0 {
                return None;
            }
            n
        };
        tokens.push(rest[..len].to_owned());
        rest = &rest[len..];
    }
    Some(tokens)
}

struct Parser {
    tokens: Vec<String>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn binary(
        &mut self,
        op: &str,
        operand: fn(&mut Self) -> Result<Expr, &'static str>,
        build: fn(Box<Expr>, Box<Expr>) -> Expr,
    ) -> Result<Expr, &'static str> {
        let mut x = operand(self)?;
        while self.peek() == Some(op) {
            self.pos += 1;
            let y = operand(self)?;
            x = build(Box::new(x), Box::new(y));
        }
        Ok(x)
    }

    fn or(&mut self) -> Result<Expr, &'static str> {
        self.binary("||", Self::and, Expr::Or)
    }

    fn and(&mut self) -> Result<Expr, &'static str> {
        self.binary("&&", Self::not, Expr::And)
    }

    /// `!atom` or `atom`: Go forbids `!!` (but not `!(!x)`).
    fn not(&mut self) -> Result<Expr, &'static str> {
        if self.peek() != Some("!") {
            return self.atom();
        }
        self.pos += 1;
        if self.peek() == Some("!") {
            return Err("double negation not allowed");
        }
        Ok(Expr::Not(Box::new(self.atom()?)))
    }

    fn atom(&mut self) -> Result<Expr, &'static str> {
        let token = self.peek().ok_or("missing operand")?.to_owned();
        self.pos += 1;
        match token.as_str() {
            "(" => {
                let x = self.or()?;
                if self.peek() != Some(")") {
                    return Err("missing close paren");
                }
                self.pos += 1;
                Ok(x)
            }
            "!" | "&&" | "||" | ")" => Err("unexpected operator"),
            _ => Ok(Expr::Tag(token)),
        }
    }
}

/// Parse a legacy `// +build` line: space-separated options are ORed,
/// comma-separated terms ANDed, each term a tag or `!tag`. As in
/// go/build/constraint, a malformed term (or an empty line) becomes the tag
/// `ignore`, which no build sets, instead of an error.
///
/// # Errors
/// A [`ConstraintError`] when `line` is not a `// +build` line.
pub fn parse_plus_build(line: &str) -> Result<Expr, ConstraintError> {
    let text = line
        .trim()
        .strip_prefix("//")
        .map(str::trim_start)
        .and_then(|t| t.strip_prefix("+build"))
        .ok_or_else(|| ConstraintError {
            line: line.to_owned(),
            cause: "not a +build line",
        })?;
    let ignore = || Expr::Tag("ignore".to_owned());
    let term = |term: &str| {
        let (negated, tag) = match term.strip_prefix('!') {
            Some(tag) if !tag.starts_with('!') && !tag.is_empty() => (true, tag),
            Some(_) => return ignore(),
            None => (false, term),
        };
        let x = if !tag.is_empty() && tag.chars().all(is_tag_char) {
            Expr::Tag(tag.to_owned())
        } else {
            ignore()
        };
        if negated { Expr::Not(Box::new(x)) } else { x }
    };
    let option = |option: &str| {
        option
            .split(',')
            .map(term)
            .reduce(|x, y| Expr::And(Box::new(x), Box::new(y)))
            .unwrap_or_else(ignore)
    };
    Ok(text
        .split_whitespace()
        .map(option)
        .reduce(|x, y| Expr::Or(Box::new(x), Box::new(y)))
        .unwrap_or_else(ignore))
}
