//! Format-preserving edits of a go.mod file, for `tykdeps pin` and `fix`.
//!
//! `go mod edit` reformats the whole file; a plugin author's go.mod carries
//! comments, grouping and blank lines that a fix must not disturb. Each edit
//! here has the meaning of the matching `go mod edit` flag (x/mod's
//! `AddRequire`, `DropRequire`, `AddReplace`, `DropReplace`, `AddGoStmt`,
//! `AddToolchainStmt`, `AddExclude`, `DropExclude`) but rewrites only the bytes
//! it must: a version token, one line, or one inserted line. A new requirement
//! goes where cmd/go itself would put it (`SetRequireSeparateIndirect` from go
//! 1.17 on: the direct or the `// indirect` block). The result is parsed again
//! before it is returned, so an edit never yields a file go would reject.

mod text;

use std::fmt;

use super::rules::{is_directory_path, is_go_version, is_indirect};
use super::syntax::{Comments, Line, LineBlock, Stmt};
use super::{ModFile, Mode, ModuleRef, ParseError, parse_mod};
use crate::version::{goquote, gover, module};
use text::Patches;

/// One change to a go.mod file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Edit {
    /// Require `path` at exactly `version` (`go mod edit -require=path@version`):
    /// the first requirement of `path` gets the version, later ones go.
    SetRequire {
        /// Module path.
        path: String,
        /// The version to require (canonical, matching the path's major).
        version: String,
        /// Mark the line `// indirect` (`Some(true)`) or unmark it; `None`
        /// keeps an existing line's marking and adds a new line as direct.
        /// A line whose marking changes stays where it is, where `go get`
        /// would move it to the block of its new kind.
        indirect: Option<bool>,
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
    /// Set the `go` line (`go mod edit -go=version`); `None` removes it (`-go=none`).
    SetGo {
        /// A Go version such as `1.22` or `1.22.3`.
        version: Option<String>,
    },
    /// Set the `toolchain` line (`go mod edit -toolchain=name`); `None`
    /// removes it (`-toolchain=none`).
    SetToolchain {
        /// A toolchain name such as `go1.22.3`.
        name: Option<String>,
    },
    /// Exclude `path@version` (`go mod edit -exclude=path@version`).
    AddExclude {
        /// Module path.
        path: String,
        /// Canonical version.
        version: String,
    },
    /// Stop excluding `path@version` (`go mod edit -dropexclude=path@version`).
    DropExclude {
        /// Module path.
        path: String,
        /// Canonical version.
        version: String,
    },
}

/// The edit as the `go mod edit` flag with the same meaning.
impl fmt::Display for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::SetRequire {
                path,
                version,
                indirect,
            } => {
                write!(f, "-require={path}@{version}")?;
                match indirect {
                    Some(true) => f.write_str(" (indirect)"),
                    Some(false) => f.write_str(" (direct)"),
                    None => Ok(()),
                }
            }
            Edit::DropRequire { path } => write!(f, "-droprequire={path}"),
            Edit::AddReplace { old, new } => write!(f, "-replace={}={}", at(old), at(new)),
            Edit::DropReplace { old } => write!(f, "-dropreplace={}", at(old)),
            Edit::SetGo { version } => write!(f, "-go={}", version.as_deref().unwrap_or("none")),
            Edit::SetToolchain { name } => {
                write!(f, "-toolchain={}", name.as_deref().unwrap_or("none"))
            }
            Edit::AddExclude { path, version } => write!(f, "-exclude={path}@{version}"),
            Edit::DropExclude { path, version } => write!(f, "-dropexclude={path}@{version}"),
        }
    }
}

fn at(r: &ModuleRef) -> String {
    match &r.version {
        Some(v) => format!("{}@{v}", r.path),
        None => r.path.clone(),
    }
}

/// Why a go.mod file could not be edited.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file does not parse as a main module's go.mod.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The edit itself is malformed (a bad path, version or Go version).
    #[error("{edit}: {reason}")]
    Invalid {
        /// The edit, as its `go mod edit` flag.
        edit: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The edited text no longer parses: a bug in the editor, reported
    /// rather than written.
    #[error("{edit} would leave a go.mod that does not parse: {source}")]
    Broken {
        /// The edit, as its `go mod edit` flag.
        edit: String,
        /// What the parser said of the result.
        source: ParseError,
    },
}

/// Apply `edits` in order to the go.mod `text` (named `file_name` in errors),
/// keeping every comment, blank line and the formatting of untouched lines.
pub fn apply(file_name: &str, text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut file = parse_mod(file_name, text, Mode::Strict)?;
    let mut text = text.to_owned();
    for edit in edits {
        check(edit).map_err(|reason| EditError::Invalid {
            edit: edit.to_string(),
            reason,
        })?;
        // Reparsing after each edit keeps every span valid for the next one.
        let edited = plan(&file, &text, edit);
        file = parse_mod(file_name, &edited, Mode::Strict).map_err(|source| EditError::Broken {
            edit: edit.to_string(),
            source,
        })?;
        text = edited;
    }
    Ok(text)
}

/// A unified diff of `old` against `new`, labelled with `file_name`; empty
/// when they are equal.
pub fn unified_diff(file_name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(&format!("a/{file_name}"), &format!("b/{file_name}"))
        .to_string()
}

/// The checks `go mod edit` makes of its flags, made stricter where a
/// non-canonical version would only be rewritten by the next go command.
fn check(edit: &Edit) -> Result<(), String> {
    match edit {
        Edit::SetRequire { path, version, .. }
        | Edit::AddExclude { path, version }
        | Edit::DropExclude { path, version } => {
            import_path(path)?;
            module_version(path, version)
        }
        Edit::DropRequire { path } => import_path(path),
        Edit::AddReplace { old, new } => {
            replaced(old)?;
            if is_directory_path(&new.path) {
                return match new.version {
                    None => Ok(()),
                    Some(_) => Err("a directory replacement has no version".into()),
                };
            }
            import_path(&new.path)?;
            match &new.version {
                Some(v) => canonical(v),
                None => Err("unversioned new path must be local directory".into()),
            }
        }
        Edit::DropReplace { old } => replaced(old),
        Edit::SetGo { version: Some(v) } if !is_go_version(v) => Err(format!(
            "invalid Go version {v:?}; expecting something like \"1.22\""
        )),
        Edit::SetToolchain { name: Some(n) }
            if n != "default" && n != "go1" && !n.starts_with("go1.") =>
        {
            Err(format!(
                "invalid toolchain {n:?}; expecting something like \"go1.22.3\""
            ))
        }
        Edit::SetGo { .. } | Edit::SetToolchain { .. } => Ok(()),
    }
}

fn import_path(path: &str) -> Result<(), String> {
    module::check_import_path(path).map_err(|e| format!("invalid path: {e}"))
}

fn replaced(old: &ModuleRef) -> Result<(), String> {
    import_path(&old.path)?;
    old.version.as_deref().map_or(Ok(()), canonical)
}

fn canonical(version: &str) -> Result<(), String> {
    if module::canonical_version(version).as_deref() == Some(version) {
        Ok(())
    } else {
        Err(format!(
            "version {version:?} is not canonical (of the form v1.2.3)"
        ))
    }
}

/// x/mod `checkCanonicalVersion`: canonical, and of the path's major.
fn module_version(path: &str, version: &str) -> Result<(), String> {
    canonical(version)?;
    let Some((_, major)) = module::split_path_version(path) else {
        return Err(format!("invalid major version suffix in {path:?}"));
    };
    module::check_path_major(version, major).map_err(|e| {
        if major.is_empty() {
            // x/mod's hint: the user probably meant a v2+ module without go.mod.
            let m = crate::version::semver::major(version);
            format!("should be {version}+incompatible (or module {path}/{m})")
        } else {
            e.to_string()
        }
    })
}

/// The text after `edit`; `file` is `text` parsed.
fn plan(file: &ModFile, text: &str, edit: &Edit) -> String {
    let mut patches = Patches::new(text);
    let doc = Doc { file };
    match edit {
        Edit::SetRequire {
            path,
            version,
            indirect,
        } => doc.set_require(&mut patches, path, version, *indirect),
        Edit::DropRequire { path } => {
            let starts = file.require.iter().filter(|r| &r.path == path);
            doc.drop_lines(&mut patches, starts.map(|r| r.span.start).collect());
        }
        Edit::AddReplace { old, new } => doc.add_replace(&mut patches, old, new),
        Edit::DropReplace { old } => {
            let starts = file.replace.iter().filter(|r| &r.old == old);
            doc.drop_lines(&mut patches, starts.map(|r| r.span.start).collect());
        }
        Edit::SetGo { version } => {
            let after = file.module.as_ref().map(|m| m.span.start);
            doc.set_single(
                &mut patches,
                "go",
                file.go.as_ref(),
                version.as_ref(),
                after,
            );
        }
        Edit::SetToolchain { name } => {
            let after = file.go.as_ref().map(|g| g.span.start);
            let after = after.or(file.module.as_ref().map(|m| m.span.start));
            doc.set_single(
                &mut patches,
                "toolchain",
                file.toolchain.as_ref(),
                name.as_ref(),
                after,
            );
        }
        Edit::AddExclude { path, version } => doc.add_exclude(&mut patches, path, version),
        Edit::DropExclude { path, version } => {
            let starts = file
                .exclude
                .iter()
                .filter(|x| &x.path == path && &x.version == version);
            doc.drop_lines(&mut patches, starts.map(|x| x.span.start).collect());
        }
    }
    patches.finish()
}

/// Where a directive line sits in the syntax tree.
#[derive(Clone, Copy)]
struct Site<'a> {
    /// Index of its statement in the file.
    stmt: usize,
    line: &'a Line,
    /// The block holding it, if any.
    block: Option<&'a LineBlock>,
}

/// Where to put a new directive line.
#[derive(Clone, Copy)]
enum Target {
    /// Into this statement: a block gets a line, a one-line statement
    /// becomes a block.
    Into(usize),
    /// A new statement after this one.
    After(usize),
    /// A new statement before this one.
    Before(usize),
    /// A new statement at the end of the file.
    End,
}

/// The parsed file an edit is planned on.
struct Doc<'a> {
    file: &'a ModFile,
}

impl<'a> Doc<'a> {
    /// Every line of the file's directives, with where it sits.
    fn sites(&self) -> impl Iterator<Item = Site<'a>> {
        self.file
            .syntax
            .stmts
            .iter()
            .enumerate()
            .flat_map(|(stmt, s)| match s {
                Stmt::Line(line) => vec![Site {
                    stmt,
                    line,
                    block: None,
                }],
                Stmt::Block(block) => block
                    .lines
                    .iter()
                    .map(|line| Site {
                        stmt,
                        line,
                        block: Some(block),
                    })
                    .collect(),
                Stmt::Comments(_) => Vec::new(),
            })
    }

    /// The line starting at byte `start`.
    fn site(&self, start: usize) -> Site<'a> {
        self.sites()
            .find(|s| s.line.start.byte == start)
            .expect("every parsed directive has a line in the syntax tree")
    }

    /// Statements of `verb`: one-line ones and blocks.
    fn stmts_of(&self, verb: &'a str) -> impl Iterator<Item = (usize, &'a Stmt)> {
        self.file
            .syntax
            .stmts
            .iter()
            .enumerate()
            .filter(move |(_, s)| match s {
                Stmt::Line(l) => l.tokens.first().is_some_and(|t| t == verb),
                Stmt::Block(b) => b.tokens.first().is_some_and(|t| t == verb),
                Stmt::Comments(_) => false,
            })
    }

    /// x/mod `AddRequire`, or `setRequireSeparateIndirect` for one path: the
    /// first line of `path` gets the version (and marking), later ones go, a
    /// missing one is added where cmd/go adds it.
    fn set_require(&self, p: &mut Patches<'_>, path: &str, version: &str, ind: Option<bool>) {
        let mut lines = self.file.require.iter().filter(|r| r.path == path);
        let Some(first) = lines.next() else {
            let indirect = ind.unwrap_or(false);
            let target = self.require_target(indirect);
            let comment = if indirect { " // indirect" } else { "" };
            let key = [quote(path), version.to_owned()];
            self.add_line(p, target, "require", &key, comment);
            return;
        };
        self.drop_lines(p, lines.map(|r| r.span.start).collect());
        let line = self.site(first.span.start).line;
        let token = line.tokens.last().expect("a require line has tokens");
        p.replace(
            line.end.byte - token.len(),
            line.end.byte,
            version.to_owned(),
        );
        if let Some(indirect) = ind {
            set_indirect(p, line, indirect);
        }
    }

    /// Where cmd/go puts a new requirement: from go 1.17 on, the last
    /// uncommented block (or line) holding only direct, or only indirect,
    /// requirements, else a new one beside the other kind; before 1.17 the
    /// last require statement.
    fn require_target(&self, indirect: bool) -> Target {
        let separate = self
            .file
            .go
            .as_ref()
            .is_some_and(|g| gover::compare(&g.version, "1.17").is_ge());
        let mut last = None;
        let (mut direct, mut indirects) = (None, None);
        for (i, stmt) in self.stmts_of("require") {
            last = Some(i);
            let (all_direct, all_indirect) = uniform(stmt);
            if all_direct {
                direct = Some(i);
            }
            if all_indirect {
                indirects = Some(i);
            }
        }
        let (same, other) = if indirect {
            (indirects, direct)
        } else {
            (direct, indirects)
        };
        match (separate, same, other, last) {
            (false, _, _, Some(i)) | (true, Some(i), _, _) => Target::Into(i),
            (true, None, Some(i), _) if indirect => Target::After(i),
            (true, None, Some(i), _) => Target::Before(i),
            (true, None, None, Some(i)) => Target::After(i),
            (_, _, _, None) => Target::End,
        }
    }

    /// Put the line `verb key... comment` at `target`.
    fn add_line(
        &self,
        p: &mut Patches<'_>,
        target: Target,
        verb: &str,
        key: &[String],
        comment: &str,
    ) {
        let entry = format!("{}{comment}", key.join(" "));
        let single = format!("{verb} {entry}");
        match target {
            Target::Into(i) => match &self.file.syntax.stmts[i] {
                Stmt::Block(block) => p.insert_in_block(block, key, &entry),
                Stmt::Line(line) => p.convert_to_block(line, key, &entry),
                Stmt::Comments(_) => unreachable!("targets are directives"),
            },
            Target::After(i) => p.insert_stmt_after(&self.file.syntax.stmts[i], &single),
            Target::Before(i) => p.insert_stmt_before(&self.file.syntax.stmts[i], &single),
            Target::End => p.append_stmt(&single),
        }
    }

    /// Remove the lines starting at `starts`; a block left with no lines and
    /// no comments goes as a whole.
    fn drop_lines(&self, p: &mut Patches<'_>, starts: Vec<usize>) {
        let sites: Vec<Site<'_>> = starts.into_iter().map(|s| self.site(s)).collect();
        let mut emptied = Vec::new();
        for site in &sites {
            let Some(block) = site.block else {
                p.remove_line(site.line);
                continue;
            };
            let gone = sites.iter().filter(|s| s.stmt == site.stmt).count();
            if gone < block.lines.len() || has_inner_comments(block) {
                p.remove_line(site.line);
            } else if !emptied.contains(&site.stmt) {
                emptied.push(site.stmt);
                p.remove_block(block);
            }
        }
    }

    /// x/mod `addReplace`: the first replacement of `old` (of any version
    /// when `old` has none) is rewritten, later ones go, and a missing one
    /// is added after the last replacement of the same path, else with the
    /// last replace statement.
    fn add_replace(&self, p: &mut Patches<'_>, old: &ModuleRef, new: &ModuleRef) {
        let mut key = vec![quote(&old.path)];
        key.extend(old.version.clone());
        key.push("=>".into());
        key.push(quote(&new.path));
        key.extend(new.version.clone());
        let mut matching = self.file.replace.iter().filter(|r| {
            r.old.path == old.path && (old.version.is_none() || r.old.version == old.version)
        });
        let Some(first) = matching.next() else {
            let hint = self.file.replace.iter().rfind(|r| r.old.path == old.path);
            let target = self.target_near(hint.map(|r| r.span.start), "replace");
            self.add_line(p, target, "replace", &key, "");
            return;
        };
        self.drop_lines(p, matching.map(|r| r.span.start).collect());
        let site = self.site(first.span.start);
        let verb = if site.block.is_some() { "" } else { "replace " };
        let line = site.line;
        p.replace(
            line.start.byte,
            line.end.byte,
            format!("{verb}{}", key.join(" ")),
        );
    }

    /// x/mod `AddExclude`: nothing if present, else after the last
    /// exclusion of the same path, else with the last exclude statement.
    fn add_exclude(&self, p: &mut Patches<'_>, path: &str, version: &str) {
        let mut same = self.file.exclude.iter().filter(|x| x.path == path);
        if same.clone().any(|x| x.version == version) {
            return;
        }
        let hint = same.next_back().map(|x| x.span.start);
        let key = [quote(path), version.to_owned()];
        self.add_line(p, self.target_near(hint, "exclude"), "exclude", &key, "");
    }

    /// x/mod `addLine`: with the hint line's statement, else with the last
    /// statement of `verb`, else at the end.
    fn target_near(&self, hint: Option<usize>, verb: &'a str) -> Target {
        hint.map(|start| self.site(start).stmt)
            .or_else(|| self.stmts_of(verb).last().map(|(i, _)| i))
            .map_or(Target::End, Target::Into)
    }

    /// `go` and `toolchain`: rewrite the version of the existing line, remove
    /// it, or add one after the line starting at `after` (x/mod
    /// `AddGoStmt`/`AddToolchainStmt`).
    fn set_single(
        &self,
        p: &mut Patches<'_>,
        verb: &str,
        existing: Option<&super::VersionDecl>,
        value: Option<&String>,
        after: Option<usize>,
    ) {
        match (existing, value) {
            (Some(decl), Some(value)) => {
                let line = self.site(decl.span.start).line;
                let token = line.tokens.last().expect("a go line has tokens");
                p.replace(line.end.byte - token.len(), line.end.byte, value.clone());
            }
            (Some(decl), None) => self.drop_lines(p, vec![decl.span.start]),
            (None, Some(value)) => {
                let target = after.map_or(Target::End, |s| Target::After(self.site(s).stmt));
                self.add_line(p, target, verb, std::slice::from_ref(value), "");
            }
            (None, None) => {}
        }
    }
}

/// Whether a require statement holds only direct, and only indirect,
/// uncommented lines (x/mod's `lastDirectIndex`/`lastIndirectIndex` tests).
fn uniform(stmt: &Stmt) -> (bool, bool) {
    match stmt {
        Stmt::Line(line) if !has_comments(&line.comments) => {
            let indirect = is_indirect(line);
            (!indirect, indirect)
        }
        Stmt::Block(block) if !block.lines.is_empty() && !has_comments(&block.comments) => {
            let plain = |l: &&Line| !has_comments(&l.comments);
            let all_plain = block.lines.iter().all(|l| plain(&l));
            let indirect = block.lines.iter().filter(|l| is_indirect(l)).count();
            (
                all_plain && indirect == 0,
                all_plain && indirect == block.lines.len(),
            )
        }
        _ => (false, false),
    }
}

/// x/mod's `hasComments` of `setRequireSeparateIndirect`: comments other
/// than `// indirect` (a blank line above a block line counts).
fn has_comments(c: &Comments) -> bool {
    !c.before.is_empty()
        || c.suffix.len() > 1
        || c.suffix
            .first()
            .is_some_and(|s| comment_text(&s.token) != "indirect")
}

fn has_inner_comments(block: &LineBlock) -> bool {
    !block.lparen.comments.suffix.is_empty()
        || block
            .rparen
            .comments
            .before
            .iter()
            .any(|c| !c.token.is_empty())
        || block
            .lines
            .iter()
            .any(|l| l.comments.before.iter().any(|c| !c.token.is_empty()))
}

/// A comment's text without `//` and surrounding blanks.
fn comment_text(token: &str) -> &str {
    token.strip_prefix("//").unwrap_or(token).trim()
}

/// x/mod `setIndirect`: add or remove the `indirect` mark in the line's
/// first end-of-line comment, keeping the rest of the comment.
fn set_indirect(p: &mut Patches<'_>, line: &Line, indirect: bool) {
    if is_indirect(line) == indirect {
        return;
    }
    let Some(comment) = line.comments.suffix.first() else {
        p.replace(line.end.byte, line.end.byte, " // indirect".into());
        return;
    };
    let span = comment.span();
    let text = comment_text(&comment.token);
    if indirect {
        let new = if text.is_empty() {
            "// indirect".to_owned()
        } else {
            format!("// indirect; {text}")
        };
        p.replace(span.start, span.end, new);
    } else if text == "indirect" {
        p.replace(line.end.byte, span.end, String::new());
    } else {
        let i = comment.token.find("indirect;").expect("marked indirect");
        let rest = &comment.token[i + "indirect;".len()..];
        p.replace(span.start, span.end, format!("//{rest}"));
    }
}

/// x/mod `AutoQuote`: quote a path only when it would not read as one token.
fn quote(s: &str) -> String {
    let special = |c: char| match c {
        ' ' | '"' | '\'' | '`' => true,
        '(' | ')' | '[' | ']' | '{' | '}' | ',' => s.len() > 1,
        _ => !goquote::is_print(c),
    };
    if s.is_empty() || s.contains("//") || s.contains("/*") || s.chars().any(special) {
        goquote::quote(s)
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "module m\n\ngo 1.21\n\n// deps\nrequire (\n\ta v1.0.0 // keep\n\tc v1.0.0\n)\n\nrequire (\n\td v1.0.0 // indirect\n)\n\nrequire a v0.9.0\n";

    fn set(path: &str, version: &str, indirect: Option<bool>) -> Edit {
        Edit::SetRequire {
            path: path.into(),
            version: version.into(),
            indirect,
        }
    }

    #[test]
    fn set_require_rewrites_only_the_version_and_drops_duplicates() {
        let out = apply("go.mod", FILE, &[set("a", "v1.2.0", None)]).unwrap();
        let want = FILE
            .replace("a v1.0.0 // keep", "a v1.2.0 // keep")
            .replace("\n\nrequire a v0.9.0\n", "\n");
        assert_eq!(out, want);
    }

    #[test]
    fn new_requirements_go_into_the_block_of_their_kind_in_order() {
        let text = "module m\n\ngo 1.21\n\nrequire (\n\ta v1.0.0\n\tc v1.0.0\n)\n\nrequire (\n\td v1.0.0 // indirect\n)\n";
        let out = apply("go.mod", text, &[set("b", "v1.0.0", None)]).unwrap();
        assert!(
            out.contains("\ta v1.0.0\n\tb v1.0.0\n\tc v1.0.0\n)"),
            "{out}"
        );
        let out = apply("go.mod", text, &[set("e", "v1.0.0", Some(true))]).unwrap();
        assert!(
            out.contains("\td v1.0.0 // indirect\n\te v1.0.0 // indirect\n)"),
            "{out}"
        );
    }

    #[test]
    fn commented_blocks_are_left_alone_as_cmd_go_does() {
        // The first block has a comment, so the direct requirement joins the
        // last uncommented direct statement, which becomes a block.
        let out = apply("go.mod", FILE, &[set("b", "v1.0.0", None)]).unwrap();
        assert!(
            out.ends_with("require (\n\ta v0.9.0\n\tb v1.0.0\n)\n"),
            "{out}"
        );
    }

    #[test]
    fn indirect_marks_keep_other_comment_text() {
        let out = apply("go.mod", FILE, &[set("a", "v1.0.0", Some(true))]).unwrap();
        assert!(out.contains("\ta v1.0.0 // indirect; keep\n"), "{out}");
        let back = apply("go.mod", &out, &[set("a", "v1.0.0", Some(false))]).unwrap();
        assert!(back.contains("\ta v1.0.0 // keep\n"), "{back}");
        let out = apply("go.mod", FILE, &[set("d", "v1.0.0", Some(false))]).unwrap();
        assert!(out.contains("\td v1.0.0\n)"), "{out}");
    }

    #[test]
    fn a_one_line_statement_becomes_a_block() {
        let text = "module m\n\nreplace a => ./a // local\n";
        let edit = Edit::AddReplace {
            old: ModuleRef {
                path: "b".into(),
                version: None,
            },
            new: ModuleRef {
                path: "./b".into(),
                version: None,
            },
        };
        let out = apply("go.mod", text, &[edit]).unwrap();
        assert_eq!(
            out,
            "module m\n\nreplace (\n\ta => ./a // local\n\tb => ./b\n)\n"
        );
    }

    #[test]
    fn go_and_toolchain_lines_are_added_after_their_anchor() {
        let text = "module m\n\nrequire a v1.0.0\n";
        let edits = [
            Edit::SetGo {
                version: Some("1.22".into()),
            },
            Edit::SetToolchain {
                name: Some("go1.22.3".into()),
            },
        ];
        let out = apply("go.mod", text, &edits).unwrap();
        assert_eq!(
            out,
            "module m\n\ngo 1.22\n\ntoolchain go1.22.3\n\nrequire a v1.0.0\n"
        );
    }

    #[test]
    fn dropping_the_last_line_of_a_block_drops_the_block() {
        let edit = Edit::DropRequire { path: "d".into() };
        let out = apply("go.mod", FILE, &[edit]).unwrap();
        assert!(!out.contains("require (\n\t//"), "{out}");
        assert!(out.contains(")\n\nrequire a v0.9.0\n"), "{out}");
        assert!(!out.contains("\n\n\n"), "{out}");
    }

    #[test]
    fn removals_sharing_a_blank_line_merge() {
        let text = "require a v1.0.0\n\nrequire a v1.1.0\n";
        let edit = Edit::DropRequire { path: "a".into() };
        assert_eq!(apply("go.mod", text, &[edit]).unwrap(), "");
    }

    #[test]
    fn malformed_edits_are_refused() {
        for edit in [
            set("a", "v1.2", None),
            set("example.com/m/v2", "v1.0.0", None),
            Edit::SetGo {
                version: Some("go1.22".into()),
            },
        ] {
            assert!(matches!(
                apply("go.mod", FILE, &[edit]),
                Err(EditError::Invalid { .. })
            ));
        }
    }

    #[test]
    fn an_empty_one_line_block_opens_up() {
        let text = "module m\nrequire ()\n";
        let out = apply("go.mod", text, &[set("a", "v1.0.0", None)]).unwrap();
        assert_eq!(out, "module m\nrequire (\n\ta v1.0.0\n)\n");
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let text = "module m\r\n\r\nrequire (\r\n\ta v1.0.0\r\n)\r\n";
        let out = apply("go.mod", text, &[set("b", "v1.0.0", None)]).unwrap();
        assert_eq!(
            out,
            "module m\r\n\r\nrequire (\r\n\ta v1.0.0\r\n\tb v1.0.0\r\n)\r\n"
        );
    }
}
