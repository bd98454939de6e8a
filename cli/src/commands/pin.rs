//! `tykdeps pin MODULE@VERSION [DIR]`: require a module at exactly one version.
//!
//! Pinning a shared module to the gateway's version is the usual cure for a
//! plugin that will not load. `go mod edit -require` does the same but
//! reformats the whole go.mod; this keeps every comment and the user's layout,
//! changes only the lines it must, shows the change as a diff with
//! `--dry-run`, and replaces the file atomically.

use std::path::PathBuf;

use miette::{Diagnostic, Report};
use thiserror::Error;
use tykdeps_resolver::gomod::{self, Edit, EditError};
use tykdeps_resolver::source::text_file;

use crate::args::PinArgs;
use crate::diff;
use crate::exit::{CommandError, ExitStatus};
use crate::printer;
use tykdeps_resolver::atomic::{self, Durability};

/// Why nothing was pinned.
#[derive(Debug, Error, Diagnostic)]
enum PinError {
    #[error("{arg:?} is not MODULE@VERSION")]
    #[diagnostic(
        code(tykdeps::pin::usage),
        help("name the module and the exact version, e.g. github.com/pkg/errors@v0.9.1")
    )]
    NoVersion { arg: String },
    #[error("cannot pin in {file}: {reason}")]
    #[diagnostic(code(tykdeps::pin::invalid))]
    Invalid { file: String, reason: String },
    #[error("cannot write {file}: {source}; it is unchanged")]
    #[diagnostic(code(tykdeps::pin::write))]
    Write {
        file: String,
        source: std::io::Error,
    },
}

pub(crate) fn run(args: &PinArgs) -> Result<ExitStatus, CommandError> {
    printer::finish(pin(args).map_err(CommandError::invalid))
}

/// Pin, and return what to print: the diff on a dry run, else nothing.
fn pin(args: &PinArgs) -> Result<String, Report> {
    let (path, version) = args
        .requirement
        .split_once('@')
        .ok_or_else(|| PinError::NoVersion {
            arg: args.requirement.clone(),
        })?;
    let file = args
        .dir
        .as_deref()
        .map_or_else(|| PathBuf::from("go.mod"), |d| d.join("go.mod"));
    let name = file.display().to_string();
    let text = text_file::read(&file, &name)?;
    let edit = Edit::SetRequire {
        path: path.to_owned(),
        version: version.to_owned(),
        indirect: None,
    };
    let pinned = gomod::apply(&name, &text, &[edit]).map_err(|e| match e {
        EditError::Parse(e) => Report::new(e),
        other => Report::new(PinError::Invalid {
            file: name.clone(),
            reason: other.to_string(),
        }),
    })?;
    if args.dry_run {
        return Ok(diff::unified(&file, &text, &pinned));
    }
    if pinned != text {
        atomic::write(&file, pinned.as_bytes(), Durability::Durable).map_err(|source| {
            PinError::Write {
                file: name.clone(),
                source,
            }
        })?;
    }
    Ok(String::new())
}
