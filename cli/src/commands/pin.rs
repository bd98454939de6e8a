//! `tykdeps pin MODULE@VERSION [DIR]`: require a module at exactly one version.
//!
//! Pinning a shared module to the gateway's version is the usual cure for a
//! plugin that will not load. `go mod edit -require` does the same but
//! reformats the whole go.mod; this keeps every comment and the user's layout,
//! changes only the lines it must, shows the change as a diff with
//! `--dry-run`, and replaces the file atomically.

use std::path::PathBuf;

use miette::Report;
use tykdeps_resolver::gomod::pin::{self, PinError};
use tykdeps_resolver::source::text_file;

use crate::args::PinArgs;
use crate::diff;
use crate::exit::{CommandError, ExitStatus};
use crate::printer;
use tykdeps_resolver::atomic::{self, Durability};

pub(crate) fn run(args: &PinArgs) -> Result<ExitStatus, CommandError> {
    printer::finish(pin(args).map_err(CommandError::invalid))
}

/// Pin, and return what to print: the diff on a dry run, else nothing.
fn pin(args: &PinArgs) -> Result<String, Report> {
    let (path, version) = pin::requirement(&args.requirement)?;
    let file = args
        .dir
        .as_deref()
        .map_or_else(|| PathBuf::from("go.mod"), |d| d.join("go.mod"));
    let name = file.display().to_string();
    let text = text_file::read(&file, &name)?;
    let pinned = pin::pin(&name, &text, path, version)?;
    if args.dry_run {
        return Ok(diff::unified(&file, &text, &pinned));
    }
    if pinned != text {
        atomic::write(&file, pinned.as_bytes(), Durability::Durable)
            .map_err(|source| PinError::Write { file: name, source })?;
    }
    Ok(String::new())
}
