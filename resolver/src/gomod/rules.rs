//! What each directive means (x/mod `rule.go: File.add`, `work.go:
//! WorkFile.add`): argument counts, quoting, version canonicalisation and
//! major-version checks, with go's error messages.
//!
//! Errors of separate directives accumulate, as in x/mod, so a user sees
//! every bad line at once.

use super::error::SyntaxError;
use super::syntax::{Comment, Line, LineBlock, Stmt};
use super::{
    Godebug, ModFile, Mode, ModuleDecl, ModuleRef, ModuleVersion, NonCanonical, PathDecl, Replace,
    Require, Retract, Use, VersionDecl, WorkFile,
};
use crate::version::goquote::{quote, unquote};
use crate::version::module::{canonical_version, check_path_major, split_path_version};

/// Block verbs x/mod accepts in a go.mod file.
const MOD_BLOCKS: &[&str] = &[
    "module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore",
];
/// Block verbs x/mod accepts in a go.work file.
const WORK_BLOCKS: &[&str] = &["godebug", "use", "replace"];
/// Verbs a dependency's go.mod keeps (`ParseLax`).
const LAX_VERBS: &[&str] = &["go", "module", "retract", "require", "ignore"];

/// Walk the statements, calling `add` for each directive line with its
/// block (if any) and verb; block headers other than one allowed verb are
/// "unknown block type" errors when `strict`.
fn each_directive<'s>(
    stmts: &'s [Stmt],
    allowed_blocks: &[&str],
    strict: bool,
    errors: &mut Vec<SyntaxError>,
    mut add: impl FnMut(Option<&'s LineBlock>, &'s Line, &'s str, &'s [String], &mut Vec<SyntaxError>),
) {
    for stmt in stmts {
        match stmt {
            Stmt::Comments(_) => {}
            Stmt::Line(line) => add(None, line, &line.tokens[0], &line.tokens[1..], errors),
            Stmt::Block(block) => {
                if block.tokens.len() > 1 || !allowed_blocks.contains(&block.tokens[0].as_str()) {
                    if strict {
                        errors.push(SyntaxError::at(
                            block.start,
                            format!("unknown block type: {}", block.tokens.join(" ")),
                        ));
                    }
                    continue;
                }
                for line in &block.lines {
                    add(Some(block), line, &block.tokens[0], &line.tokens, errors);
                }
            }
        }
    }
}

/// Fill `file`'s directives from `file.syntax`.
pub(crate) fn mod_directives(file: &mut ModFile, mode: Mode) -> Vec<SyntaxError> {
    let strict = mode == Mode::Strict;
    let syntax = std::mem::take(&mut file.syntax);
    file.require.reserve(requirement_lines(&syntax.stmts));
    let mut errors = Vec::new();
    each_directive(
        &syntax.stmts,
        MOD_BLOCKS,
        strict,
        &mut errors,
        |block, line, verb, args, errors| {
            if !strict && !LAX_VERBS.contains(&verb) {
                return;
            }
            if let Err(message) = add_mod(file, block, line, verb, args, strict) {
                errors.push(SyntaxError::on_line(line, message));
            }
        },
    );
    file.syntax = syntax;
    errors
}

/// How many lines of `stmts` are requirements: a large go.mod's ~1,000
/// otherwise grow their list ten times.
fn requirement_lines(stmts: &[Stmt]) -> usize {
    let is_require = |tokens: &[String]| tokens.first().is_some_and(|t| t == "require");
    stmts
        .iter()
        .map(|stmt| match stmt {
            Stmt::Block(b) if is_require(&b.tokens) => b.lines.len(),
            Stmt::Line(l) if is_require(&l.tokens) => 1,
            _ => 0,
        })
        .sum()
}

/// Fill `file`'s directives from `file.syntax`.
pub(crate) fn work_directives(file: &mut WorkFile) -> Vec<SyntaxError> {
    let syntax = std::mem::take(&mut file.syntax);
    let mut errors = Vec::new();
    each_directive(
        &syntax.stmts,
        WORK_BLOCKS,
        true,
        &mut errors,
        |_, line, verb, args, errors| {
            if let Err(message) = add_work(file, line, verb, args) {
                errors.push(SyntaxError::on_line(line, message));
            }
        },
    );
    file.syntax = syntax;
    errors
}

type Outcome = Result<(), String>;

fn add_mod(
    file: &mut ModFile,
    block: Option<&LineBlock>,
    line: &Line,
    verb: &str,
    args: &[String],
    strict: bool,
) -> Outcome {
    let span = line.span();
    match verb {
        "go" => file.go = Some(go_directive(file.go.is_some(), args, strict, line)?),
        "toolchain" => {
            file.toolchain = Some(toolchain_directive(file.toolchain.is_some(), args, line)?);
        }
        "module" => {
            if file.module.is_some() {
                return Err("repeated module statement".into());
            }
            let deprecated = deprecation(&directive_comment(block, line));
            // x/mod records the module before checking it, so a bad first
            // module line still makes a second one "repeated".
            let module = file.module.insert(ModuleDecl {
                path: String::new(),
                deprecated,
                span,
            });
            let [arg] = args else {
                return Err("usage: module module/path".into());
            };
            module.path = parse_string(arg).map_err(|e| format!("invalid quoted string: {e}"))?;
        }
        "godebug" => file.godebug.push(godebug_directive(args, line)?),
        "require" | "exclude" => {
            let [path, version] = args else {
                return Err(format!("usage: {verb} module/path v1.2.3"));
            };
            let path = parse_string(path).map_err(|e| format!("invalid quoted string: {e}"))?;
            let version = module_version(file, verb, &path, version, line)?;
            let major = split_path_version(&path).ok_or("invalid module path")?.1;
            check_path_major(&version, major).map_err(|e| format!("{verb} {path}: {e}"))?;
            if verb == "require" {
                file.require.push(Require {
                    path,
                    version,
                    indirect: is_indirect(line),
                    span,
                });
            } else {
                file.exclude.push(ModuleVersion {
                    path,
                    version,
                    span,
                });
            }
        }
        "replace" => {
            let replace = replace_directive(verb, args, line, &mut file.noncanonical)?;
            file.replace.push(replace);
        }
        "retract" => {
            let rationale = directive_comment(block, line);
            let (low, high, rest) = match version_interval(args) {
                Ok(interval) => interval,
                Err(e) if strict => return Err(e),
                Err(_) => return Ok(()),
            };
            if let (Some(extra), true) = (rest.first(), strict) {
                return Err(format!("unexpected token after version: {}", quote(extra)));
            }
            file.retract.push(Retract {
                low,
                high,
                rationale,
                span,
            });
        }
        "tool" | "ignore" => {
            let [arg] = args else {
                return Err(format!("{verb} directive expects exactly one argument"));
            };
            let path = parse_string(arg).map_err(|e| format!("invalid quoted string: {e}"))?;
            let list = if verb == "tool" {
                &mut file.tool
            } else {
                &mut file.ignore
            };
            list.push(PathDecl { path, span });
        }
        _ => return Err(format!("unknown directive: {verb}")),
    }
    Ok(())
}

fn add_work(file: &mut WorkFile, line: &Line, verb: &str, args: &[String]) -> Outcome {
    match verb {
        "go" => file.go = Some(go_directive(file.go.is_some(), args, true, line)?),
        "toolchain" => {
            file.toolchain = Some(toolchain_directive(file.toolchain.is_some(), args, line)?);
        }
        "godebug" => file.godebug.push(godebug_directive(args, line)?),
        "use" => {
            let [arg] = args else {
                return Err(format!("usage: {verb} local/dir"));
            };
            let disk_path = parse_string(arg).map_err(|e| format!("invalid quoted string: {e}"))?;
            file.uses.push(Use {
                disk_path,
                module_path: None,
                span: line.span(),
            });
        }
        "replace" => {
            let mut unused = Vec::new();
            file.replace
                .push(replace_directive(verb, args, line, &mut unused)?);
        }
        _ => return Err(format!("unknown directive: {verb}")),
    }
    Ok(())
}

fn go_directive(
    repeated: bool,
    args: &[String],
    strict: bool,
    line: &Line,
) -> Result<VersionDecl, String> {
    if repeated {
        return Err("repeated go statement".into());
    }
    let [version] = args else {
        return Err("go directive expects exactly one argument".into());
    };
    let version = if is_go_version(version) {
        version.clone()
    } else if let (false, Some(truncated)) = (strict, lax_go_version(version)) {
        truncated.to_owned()
    } else {
        return Err(format!(
            "invalid go version '{version}': must match format 1.23.0"
        ));
    };
    Ok(VersionDecl {
        version,
        span: line.span(),
    })
}

fn toolchain_directive(
    repeated: bool,
    args: &[String],
    line: &Line,
) -> Result<VersionDecl, String> {
    if repeated {
        return Err("repeated toolchain statement".into());
    }
    let [name] = args else {
        return Err("toolchain directive expects exactly one argument".into());
    };
    // x/mod's check is loose on purpose (`^default$|^go1($|\.)`).
    if name != "default" && name != "go1" && !name.starts_with("go1.") {
        return Err(format!(
            "invalid toolchain version '{name}': must match format go1.23.0 or default"
        ));
    }
    Ok(VersionDecl {
        version: name.clone(),
        span: line.span(),
    })
}

fn godebug_directive(args: &[String], line: &Line) -> Result<Godebug, String> {
    const USAGE: &str = "usage: godebug key=value";
    let [arg] = args else {
        return Err(USAGE.into());
    };
    if arg.contains(['"', '`', '\'', ',']) {
        return Err(USAGE.into());
    }
    let (key, value) = arg.split_once('=').ok_or(USAGE)?;
    Ok(Godebug {
        key: key.into(),
        value: value.into(),
        span: line.span(),
    })
}

/// `replace old [v] => new [v]`, shared by go.mod and go.work.
fn replace_directive(
    verb: &str,
    args: &[String],
    line: &Line,
    noncanonical: &mut Vec<NonCanonical>,
) -> Result<Replace, String> {
    let arrow = if args.len() >= 2 && args[1] == "=>" {
        1
    } else {
        2
    };
    if args.len() < arrow + 2 || args.len() > arrow + 3 || args[arrow] != "=>" {
        return Err(format!(
            "usage: {verb} module/path [v1.2.3] => other/module v1.4\n\t or {verb} module/path [v1.2.3] => ../local/directory"
        ));
    }
    let old_path = parse_string(&args[0]).map_err(|e| format!("invalid quoted string: {e}"))?;
    let major = split_path_version(&old_path)
        .ok_or_else(|| format!("{verb} {old_path}: invalid module path"))?
        .1;
    let mut old_version = None;
    if arrow == 2 {
        let v = canonical(verb, &old_path, &args[1], line, noncanonical)?;
        check_path_major(&v, major).map_err(|e| format!("{verb} {old_path}: {e}"))?;
        old_version = Some(v);
    }
    let new_path =
        parse_string(&args[arrow + 1]).map_err(|e| format!("invalid quoted string: {e}"))?;
    let mut new_version = None;
    if args.len() == arrow + 2 {
        if !is_directory_path(&new_path) {
            return Err(if new_path.contains('@') {
                "replacement module must match format 'path version', not 'path@version'".into()
            } else {
                "replacement module without version must be directory path (rooted or starting with . or ..)".into()
            });
        }
        // The go command runs on Unix here, where a backslash cannot be a separator.
        if new_path.contains('\\') {
            return Err(
                "replacement directory appears to be Windows path (on a non-windows system)".into(),
            );
        }
    } else {
        let v = canonical(verb, &new_path, &args[arrow + 2], line, noncanonical)?;
        if is_directory_path(&new_path) {
            return Err(format!(
                "replacement module directory path {} cannot have version",
                quote(&new_path)
            ));
        }
        new_version = Some(v);
    }
    Ok(Replace {
        old: ModuleRef {
            path: old_path,
            version: old_version,
        },
        new: ModuleRef {
            path: new_path,
            version: new_version,
        },
        span: line.span(),
    })
}

/// x/mod `parseVersion` with a nil fixer: the canonical form, or go's error.
/// A rewritten version is recorded, since cmd/go would resolve it by a query.
fn canonical(
    verb: &str,
    path: &str,
    token: &str,
    line: &Line,
    noncanonical: &mut Vec<NonCanonical>,
) -> Result<String, String> {
    // Made only for an error: this runs for every requirement.
    let prefix = || {
        if path.is_empty() {
            format!("{verb}: ")
        } else {
            format!("{verb} {path}: ")
        }
    };
    let written = parse_string(token)
        .map_err(|e| format!("{}version {} invalid: {e}", prefix(), quote(token)))?;
    let version = canonical_version(&written).ok_or_else(|| {
        format!(
            "{}version {} invalid: must be of the form v1.2.3",
            prefix(),
            quote(&written)
        )
    })?;
    if version != written {
        noncanonical.push(NonCanonical {
            path: path.to_owned(),
            written,
            canonical: version.clone(),
            span: line.span(),
        });
    }
    Ok(version)
}

fn module_version(
    file: &mut ModFile,
    verb: &str,
    path: &str,
    token: &str,
    line: &Line,
) -> Result<String, String> {
    canonical(verb, path, token, line, &mut file.noncanonical)
}

/// A retract interval: `v` or `[lo, hi]`, and the tokens after it. With no
/// fixer, x/mod takes retract versions verbatim (only unquoting them).
fn version_interval(args: &[String]) -> Result<(String, String, &[String]), String> {
    let version = |tok: &String| {
        parse_string(tok).map_err(|e| format!("retract: version {} invalid: {e}", quote(tok)))
    };
    match args {
        [] => Err("expected '[' or version".into()),
        [first, ..] if first == "(" => Err("expected '[' or version".into()),
        [first, rest @ ..] if first != "[" => {
            let v = version(first)?;
            Ok((v.clone(), v, rest))
        }
        [_] => Err("expected version after '['".into()),
        [_, low, rest @ ..] => {
            let low = version(low)?;
            let [comma, rest @ ..] = rest else {
                return Err("expected ',' after version".into());
            };
            if comma != "," {
                return Err("expected ',' after version".into());
            }
            let [high, rest @ ..] = rest else {
                return Err("expected version after ','".into());
            };
            let high = version(high)?;
            match rest {
                [close, rest @ ..] if close == "]" => Ok((low, high, rest)),
                _ => Err("expected ']' after version".into()),
            }
        }
    }
}

/// x/mod `parseString`: a quoted token is unquoted; a bare one may not contain quotes.
fn parse_string(token: &str) -> Result<String, &'static str> {
    if token.starts_with('"') {
        // Byte escapes may spell invalid UTF-8, which Go keeps and its JSON
        // encoder prints as U+FFFD; the lossy conversion gives the same result.
        unquote(token.as_bytes())
            .map(|v| String::from_utf8_lossy(&v).into_owned())
            .ok_or("invalid syntax")
    } else if token.contains(['"', '\'', '`']) {
        Err("unquoted string cannot contain quote")
    } else {
        Ok(token.to_owned())
    }
}

/// x/mod `IsDirectoryPath`: relative (`.`/`..`), rooted, or a drive letter.
pub(crate) fn is_directory_path(p: &str) -> bool {
    let b = p.as_bytes();
    p == "."
        || p == ".."
        || ["./", ".\\", "../", "..\\", "/", "\\"]
            .iter()
            .any(|pre| p.starts_with(pre))
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// x/mod `isIndirect`: only the first suffix comment counts, and it must be
/// exactly `indirect`, or start with `indirect;`.
pub(crate) fn is_indirect(line: &Line) -> bool {
    let Some(first) = line.comments.suffix.first() else {
        return false;
    };
    // `TrimPrefix` removes one `//` only.
    let text = first.token.strip_prefix("//").unwrap_or(&first.token);
    let fields: Vec<&str> = text.split_whitespace().collect();
    matches!(fields.as_slice(), ["indirect"]) || (fields.len() > 1 && fields[0] == "indirect;")
}

/// x/mod `parseDirectiveComment`: the line's own comments, or the block's
/// when the line has none, without `//`, trimmed, one per line.
fn directive_comment(block: Option<&LineBlock>, line: &Line) -> String {
    let mut comments = &line.comments;
    if let Some(block) = block
        && comments.before.is_empty()
        && comments.suffix.is_empty()
    {
        comments = &block.comments;
    }
    comments
        .before
        .iter()
        .chain(&comments.suffix)
        .filter_map(|c: &Comment| c.token.strip_prefix("//"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first paragraph starting `Deprecated:` (x/mod `parseDeprecation`).
fn deprecation(text: &str) -> Option<String> {
    let paragraphs = text
        .as_bytes()
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w == b"\n\n")
        .map(|(i, _)| i + 2);
    let mut candidates = std::iter::once(0).chain(paragraphs);
    candidates
        .find_map(|start| {
            let body = text[start..]
                .strip_prefix("Deprecated:")?
                .trim_start_matches(' ');
            let end = body.find("\n\n").unwrap_or(body.len());
            Some(body[..end].to_owned())
        })
        .filter(|message| !message.is_empty())
}

/// `go` line syntax (x/mod `GoVersionRE`): `1.21`, `1.21.3`, `1.21rc1`.
pub(crate) fn is_go_version(v: &str) -> bool {
    let Some(rest) = number(v, false)
        .and_then(|r| r.strip_prefix('.'))
        .and_then(|r| number(r, true))
    else {
        return false;
    };
    let rest = match rest.strip_prefix('.') {
        Some(patch) => match number(patch, true) {
            Some(r) => r,
            None => return false,
        },
        None => rest,
    };
    let letters = rest.trim_start_matches(|c: char| c.is_ascii_lowercase());
    let digits = letters.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.is_empty()
        || (letters.len() < rest.len() && digits.len() < letters.len() && digits.is_empty())
}

/// Lax mode keeps `MAJ.MIN` of `v?MAJ.MIN<non-digit>...` (`laxGoVersionRE`).
fn lax_go_version(v: &str) -> Option<&str> {
    let body = v.strip_prefix('v').unwrap_or(v);
    let rest = number(body, false)?.strip_prefix('.')?;
    let rest = number(rest, true)?;
    let next = rest.chars().next()?;
    (!next.is_ascii_digit()).then(|| &body[..body.len() - rest.len()])
}

/// A decimal number without leading zeros (`0` only if `zero` is allowed);
/// returns what follows it.
fn number(s: &str, zero: bool) -> Option<&str> {
    if let Some(rest) = s.strip_prefix('0') {
        return zero.then_some(rest);
    }
    let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
    (rest.len() < s.len()).then_some(rest)
}
