//! Format-preserving edits of a go.mod file, for `tykdeps pin` and `fix`.
//!
//! `go mod edit` reformats the whole file; a plugin author's go.mod carries
//! comments, grouping and blank lines that a fix must not disturb. Each edit
//! here has the meaning of the matching `go mod edit` flag (x/mod `AddRequire`,
//! `DropRequire`, `AddReplace`, `DropReplace`) but rewrites only the bytes it
//! must: a version token, one line, or one inserted line.

use super::syntax::{Line, LineBlock, Stmt};
use super::{ModFile, Mode, ModuleRef, ParseError, parse_mod};
use crate::span::Span;

/// One change to a go.mod file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Require `path` at exactly `version` (`go mod edit -require=path@version`).
    SetRequire {
        /// Module path.
        path: String,
        /// The version to require.
        version: String,
    },
    /// Remove every requirement of `path` (`go mod edit -droprequire=path`).
    DropRequire {
        /// Module path.
        path: String,
    },
    /// Replace `old` by `new` (`go mod edit -replace=old[@v]=new[@v]`).
    AddReplace {
        /// What is replaced; no version replaces every version.
        old: ModuleRef,
        /// The replacement: a module at a version, or a directory.
        new: ModuleRef,
    },
    /// Remove the replacement of exactly `old` (`go mod edit -dropreplace=old[@v]`).
    DropReplace {
        /// What was replaced, with the same version (or none) as written.
        old: ModuleRef,
    },
}

/// Why a go.mod file could not be edited.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file (or the file after an earlier edit) does not parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Apply `edits` in order to the go.mod `text`, keeping every comment, blank
/// line and the formatting of untouched lines.
pub fn apply(file_name: &str, text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut text = text.to_owned();
    for edit in edits {
        // Reparsing after each edit keeps every span valid for the next one.
        let file = parse_mod(file_name, &text, Mode::Strict)?;
        text = apply_one(&file, &text, edit);
    }
    Ok(text)
}

/// A unified diff of `old` against `new`, labelled with `file_name`.
pub fn unified_diff(file_name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(&format!("a/{file_name}"), &format!("b/{file_name}"))
        .to_string()
}

fn apply_one(file: &ModFile, text: &str, edit: &Edit) -> String {
    match edit {
        Edit::SetRequire { path, version } => set_require(file, text, path, version),
        Edit::DropRequire { path } => {
            let spans = file.require.iter().filter(|r| &r.path == path);
            remove_lines(text, spans.map(|r| r.span).collect())
        }
        Edit::AddReplace { old, new } => add_replace(file, text, old, new),
        Edit::DropReplace { old } => {
            let spans = file.replace.iter().filter(|r| &r.old == old);
            remove_lines(text, spans.map(|r| r.span).collect())
        }
    }
}

/// x/mod `AddRequire`: the first line of `path` gets the new version (its
/// `// indirect` stays), later duplicates go, and a missing one is added.
fn set_require(file: &ModFile, text: &str, path: &str, version: &str) -> String {
    let mut lines = file.require.iter().filter(|r| r.path == path);
    let Some(first) = lines.next() else {
        return insert_require(file, text, &format!("{} {version}", quote(path)));
    };
    let rest: Vec<Span> = lines.map(|r| r.span).collect();
    let written = &text[first.span.start..first.span.end];
    let token_start = first.span.start + written.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let mut out = remove_lines(text, rest);
    // Removed lines all come after the first, so its offsets still hold.
    out.replace_range(token_start..first.span.end, version);
    out
}

/// A new requirement goes into the first require block without indirect
/// requirements, else onto a `require` line of its own at the end.
fn insert_require(file: &ModFile, text: &str, entry: &str) -> String {
    let block = file.syntax.stmts.iter().find_map(|stmt| match stmt {
        Stmt::Block(b) if b.tokens == ["require"] && !b.lines.iter().any(has_indirect) => Some(b),
        _ => None,
    });
    match block {
        Some(block) => insert_in_block(text, block, entry),
        None => append_line(text, &format!("require {entry}")),
    }
}

fn has_indirect(line: &Line) -> bool {
    line.comments.suffix.iter().any(|c| {
        let body = c.token.trim_start_matches("//").trim();
        body == "indirect" || body.starts_with("indirect;")
    })
}

/// Insert `entry` as the block's last line, indented like its first line.
fn insert_in_block(text: &str, block: &LineBlock, entry: &str) -> String {
    let indent = block.lines.first().map_or("\t", |l| {
        &text[line_start(text, l.start.byte)..l.start.byte]
    });
    let at = line_start(text, block.rparen.pos.byte);
    let mut out = text.to_owned();
    if text[at..block.rparen.pos.byte].trim().is_empty() {
        out.insert_str(at, &format!("{indent}{entry}\n"));
    } else {
        // `)` shares its line with the last entry: break the line before it.
        out.insert_str(block.rparen.pos.byte, &format!("{indent}{entry}\n"));
        out.insert(block.rparen.pos.byte, '\n');
    }
    out
}

/// x/mod `AddReplace`: the first replacement of `old` (any version when
/// `old` has none) is rewritten, others of it go, and a missing one is added
/// after the last replace line.
fn add_replace(file: &ModFile, text: &str, old: &ModuleRef, new: &ModuleRef) -> String {
    let entry = format!("{} => {}", ref_tokens(old), ref_tokens(new));
    let mut matching = file.replace.iter().filter(|r| {
        r.old.path == old.path && (old.version.is_none() || r.old.version == old.version)
    });
    let Some(first) = matching.next() else {
        return match file.replace.last() {
            Some(last) => insert_after(text, last.span, &entry),
            None => append_line(text, &format!("replace {entry}")),
        };
    };
    let rest: Vec<Span> = matching.map(|r| r.span).collect();
    let written = &text[first.span.start..first.span.end];
    let line = if starts_with_verb(written, "replace") {
        format!("replace {entry}")
    } else {
        entry
    };
    let mut out = remove_lines(text, rest);
    out.replace_range(first.span.start..first.span.end, &line);
    out
}

/// Insert `entry` on a new line after the directive at `after`, as a block
/// entry or as a directive of its own, matching how `after` is written.
fn insert_after(text: &str, after: Span, entry: &str) -> String {
    let start = line_start(text, after.start);
    let indent = &text[start..after.start];
    let written = &text[after.start..after.end];
    let line = if starts_with_verb(written, "replace") {
        format!("{indent}replace {entry}")
    } else {
        format!("{indent}{entry}")
    };
    let at = line_end(text, after.end);
    let mut out = text.to_owned();
    if at == text.len() && !text.ends_with('\n') {
        out.push('\n');
        out.push_str(&line);
    } else {
        out.insert_str(at, &format!("{line}\n"));
    }
    out
}

fn starts_with_verb(written: &str, verb: &str) -> bool {
    written
        .strip_prefix(verb)
        .is_some_and(|rest| rest.starts_with(char::is_whitespace))
}

/// Append a directive at the end, separated by a blank line as go does.
fn append_line(text: &str, line: &str) -> String {
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    out
}

/// Remove the whole text lines holding `spans` (with their end-of-line
/// comments), last first so earlier offsets stay valid.
fn remove_lines(text: &str, mut spans: Vec<Span>) -> String {
    spans.sort_by_key(|s| std::cmp::Reverse(s.start));
    let mut out = text.to_owned();
    for span in spans {
        let start = line_start(&out, span.start);
        let end = out[span.end..]
            .find('\n')
            .map_or(out.len(), |i| span.end + i + 1);
        out.replace_range(start..end, "");
    }
    out
}

fn line_start(text: &str, byte: usize) -> usize {
    text[..byte].rfind('\n').map_or(0, |i| i + 1)
}

/// The byte just after the newline ending the line that holds `byte`.
fn line_end(text: &str, byte: usize) -> usize {
    text[byte..].find('\n').map_or(text.len(), |i| byte + i + 1)
}

fn ref_tokens(r: &ModuleRef) -> String {
    match &r.version {
        Some(v) => format!("{} {v}", quote(&r.path)),
        None => quote(&r.path),
    }
}

/// x/mod `AutoQuote`: quote a path only when it would not lex as one token.
fn quote(path: &str) -> String {
    let plain = !path.is_empty()
        && !path.contains("//")
        && !path.contains("/*")
        && !path
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '(' | ')' | ','));
    if plain {
        path.to_owned()
    } else {
        format!("{path:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str =
        "module m\n\n// deps\nrequire (\n\ta v1.0.0 // keep\n\tb v1.0.0\n)\n\nrequire a v0.9.0\n";

    #[test]
    fn set_require_rewrites_only_the_version_and_drops_duplicates() {
        let edit = Edit::SetRequire {
            path: "a".into(),
            version: "v1.2.0".into(),
        };
        let out = apply("go.mod", FILE, &[edit]).unwrap();
        assert_eq!(
            out,
            "module m\n\n// deps\nrequire (\n\ta v1.2.0 // keep\n\tb v1.0.0\n)\n\n"
        );
    }

    #[test]
    fn new_require_goes_into_the_direct_block() {
        let edit = Edit::SetRequire {
            path: "c".into(),
            version: "v1.0.0".into(),
        };
        let out = apply("go.mod", FILE, &[edit]).unwrap();
        assert!(out.contains("\tb v1.0.0\n\tc v1.0.0\n)\n"), "{out}");
    }
}
