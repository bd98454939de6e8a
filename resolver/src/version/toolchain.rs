//! Which Go toolchain the go command runs, as cmd/go's `toolchain.Select`
//! decides it from `GOTOOLCHAIN` and the `go` and `toolchain` lines of the
//! go.work or go.mod it finds.
//!
//! A plugin loads only when it was compiled by exactly the gateway's
//! toolchain, and "the `go` on PATH" is often not the toolchain that builds:
//! a `go 1.25.3` line makes a Go 1.24 command switch to Go 1.25.3 (under the
//! default `GOTOOLCHAIN=auto`), while `GOTOOLCHAIN=local` refuses to. The
//! choice is pure: the caller reads the environment and the file.

use std::fmt;

use super::gover;

/// Why a toolchain was chosen, for the sentence a report says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The go command runs itself: `GOTOOLCHAIN=local`, or nothing newer
    /// was asked for.
    Local,
    /// `GOTOOLCHAIN` names the toolchain (`go1.22.4`, or the minimum of
    /// `go1.22.4+auto` that no line raised).
    Gotoolchain,
    /// The file's `toolchain` line raised it.
    ToolchainLine,
    /// The file's `go` line raised it.
    GoLine,
}

/// The toolchain the go command would run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Its name: `go1.25.3`, or the local toolchain's own (`go1.26.8`).
    pub toolchain: String,
    /// Why.
    pub reason: Reason,
    /// Whether the go command switches to another binary (downloaded under
    /// `auto`, looked up on PATH under `path`) instead of running itself.
    pub switches: bool,
}

/// A `GOTOOLCHAIN` value or a line the go command refuses, worded as go
/// words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToolchainError {
    /// A malformed `GOTOOLCHAIN`.
    #[error("invalid GOTOOLCHAIN {value:?}{detail}")]
    InvalidGotoolchain {
        /// The variable's value.
        value: String,
        /// go's explanation after the value, if any (`: only version suffixes are +auto and +path`).
        detail: String,
    },
    /// A `toolchain` line that names no Go toolchain.
    #[error("invalid toolchain {toolchain:?} in {file}")]
    InvalidToolchainLine {
        /// The line's value.
        toolchain: String,
        /// The go.mod or go.work holding it.
        file: String,
    },
}

/// The `go` and `toolchain` lines of the go.work or go.mod that the go
/// command finds first (go.work wins), as [`go_mod_lookup`] reads them.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileLines<'a> {
    /// The file's path, for messages.
    pub file: &'a str,
    /// The `go` line's value, `""` without one.
    pub go: &'a str,
    /// The `toolchain` line's value, `""` without one.
    pub toolchain: &'a str,
}

/// The value of the first line starting with `key` and a blank in a go.mod
/// or go.work, comment cut: cmd/go's quick scan, which it runs before it
/// parses the file (so a line inside a block counts too).
pub fn go_mod_lookup<'a>(text: &'a str, key: &str) -> &'a str {
    text.split('\n')
        .find_map(|line| {
            let rest = line.trim().strip_prefix(key)?;
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            let value = rest.split_once("//").map_or(rest, |(before, _)| before);
            Some(value.trim())
        })
        .unwrap_or("")
}

/// The toolchain the go command runs, given `GOTOOLCHAIN` (as the go
/// command reads it: environment, then the `go env -w` file, then
/// `$GOROOT/go.env`), the local toolchain's name (`runtime.Version()`,
/// `go1.26.8`) and the lines of the file it finds, if any.
pub fn select(
    gotoolchain: &str,
    local: &str,
    file: Option<FileLines<'_>>,
) -> Result<Selection, ToolchainError> {
    let stay = Selection {
        toolchain: local.to_owned(),
        reason: Reason::Local,
        switches: false,
    };
    // An empty GOTOOLCHAIN (go.env lost its line) lets the go command run.
    if gotoolchain.is_empty() {
        return Ok(stay);
    }
    let invalid = |detail: String| ToolchainError::InvalidGotoolchain {
        value: gotoolchain.to_owned(),
        detail,
    };
    let (minimum, mode) = match gotoolchain {
        "auto" | "path" => ("local", gotoolchain),
        _ => {
            let (min, suffix) = gotoolchain
                .split_once('+')
                .map_or((gotoolchain, None), |(min, suffix)| (min, Some(suffix)));
            if min != "local" && gover::from_toolchain(min).is_none() {
                let detail = suffix.map_or_else(String::new, |_| {
                    format!(": invalid minimum toolchain {min:?}")
                });
                return Err(invalid(detail));
            }
            if suffix.is_some_and(|s| s != "auto" && s != "path") {
                return Err(invalid(
                    ": only version suffixes are +auto and +path".to_owned(),
                ));
            }
            (min, suffix.unwrap_or(""))
        }
    };
    let (mut chosen, mut reason) = if minimum == "local" {
        (local.to_owned(), Reason::Local)
    } else {
        (minimum.to_owned(), Reason::Gotoolchain)
    };
    if let Some(lines) =
        file.filter(|l| (mode == "auto" || mode == "path") && l.toolchain != "default")
    {
        (chosen, reason) = raised(chosen, reason, local, lines)?;
    }
    if chosen == "local" || chosen == local {
        return Ok(stay);
    }
    if !chosen.starts_with("go1") && !chosen.contains("-go1") {
        return Err(invalid(String::new()));
    }
    Ok(Selection {
        toolchain: chosen,
        reason,
        switches: true,
    })
}

/// The `toolchain` line, then the `go` line, each taken only when newer
/// than what is chosen so far.
fn raised(
    mut chosen: String,
    mut reason: Reason,
    local: &str,
    lines: FileLines<'_>,
) -> Result<(String, Reason), ToolchainError> {
    let version_of = |name: &str| gover::from_toolchain(name).unwrap_or("").to_owned();
    let mut minimum = if reason == Reason::Local {
        version_of(local)
    } else {
        version_of(&chosen)
    };
    if !lines.toolchain.is_empty() {
        let named = gover::from_toolchain(lines.toolchain)
            .filter(|_| lines.toolchain.starts_with("go") || lines.toolchain.contains("-go"))
            .ok_or_else(|| ToolchainError::InvalidToolchainLine {
                toolchain: lines.toolchain.to_owned(),
                file: lines.file.to_owned(),
            })?;
        if gover::compare(named, &minimum).is_gt() {
            lines.toolchain.clone_into(&mut chosen);
            reason = Reason::ToolchainLine;
            named.clone_into(&mut minimum);
        }
    }
    if gover::compare(lines.go, &minimum).is_gt() {
        chosen = format!("go{}", lines.go);
        // Since Go 1.21 a language version was never released: its first
        // release is `.0` (golang.org/issue/62278).
        if gover::is_lang(lines.go) && gover::compare(lines.go, "1.21").is_ge() {
            chosen.push_str(".0");
        }
        reason = Reason::GoLine;
    }
    Ok((chosen, reason))
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::Local => "the local go command",
            Reason::Gotoolchain => "named by GOTOOLCHAIN",
            Reason::ToolchainLine => "required by the toolchain line",
            Reason::GoLine => "required by the go line",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines<'a>(go: &'a str, toolchain: &'a str) -> FileLines<'a> {
        FileLines {
            file: "go.mod",
            go,
            toolchain,
        }
    }

    fn chosen(gotoolchain: &str, file: impl Into<Option<FileLines<'static>>>) -> String {
        select(gotoolchain, "go1.24.2", file.into()).map_or_else(|e| e.to_string(), |s| s.toolchain)
    }

    #[test]
    fn lookup_is_the_quick_scan() {
        let text = "module m\n\ngo 1.22 // lang\n\ttoolchain go1.23.1\ngo 1.99\n";
        assert_eq!(go_mod_lookup(text, "go"), "1.22");
        assert_eq!(go_mod_lookup(text, "toolchain"), "go1.23.1");
        assert_eq!(go_mod_lookup("gopher 1\n", "go"), "");
    }

    #[test]
    fn modes() {
        assert_eq!(chosen("local", lines("1.25.0", "")), "go1.24.2");
        assert_eq!(chosen("auto", lines("1.25", "")), "go1.25.0");
        assert_eq!(chosen("auto", lines("1.20", "")), "go1.24.2");
        assert_eq!(chosen("go1.22.1", lines("1.25.0", "")), "go1.22.1");
        assert_eq!(
            chosen("go1.22.1+auto", lines("1.21", "go1.23.4")),
            "go1.23.4"
        );
        assert_eq!(chosen("path", lines("1.22", "go1.26.0")), "go1.26.0");
        assert_eq!(
            chosen("go1.30.0+auto", lines("1.35.1", "default")),
            "go1.30.0"
        );
        assert_eq!(
            chosen("go1.2+fast", None),
            "invalid GOTOOLCHAIN \"go1.2+fast\": only version suffixes are +auto and +path"
        );
        assert_eq!(chosen("bash", None), "invalid GOTOOLCHAIN \"bash\"");
        assert_eq!(
            chosen("auto", lines("1.21", "1.22")),
            "invalid toolchain \"1.22\" in go.mod"
        );
    }
}
