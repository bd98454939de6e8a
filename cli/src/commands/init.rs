//! `tykdeps init [DIR]`: start a project's audit policy from a commented
//! template, so nobody has to learn the keys from the book first.
//!
//! The template is compiled in from `corpus/config/template.toml`, the same
//! file the tests parse, so what `init` writes is always a valid policy. An
//! existing file is never touched: it holds decisions (and their reasons).

use std::io::Write as _;
use std::path::Path;

use crate::args::InitArgs;
use crate::exit::{CommandError, ExitStatus};
use crate::printer;

/// The commented template `init` writes.
pub(crate) const TEMPLATE: &str = include_str!("../../../corpus/config/template.toml");

pub(crate) fn run(args: &InitArgs) -> Result<ExitStatus, CommandError> {
    let dir = args.dir.as_deref().unwrap_or(Path::new("."));
    let path = dir.join("tykdeps.toml");
    let name = path.display().to_string();
    // create_new: refuse atomically, even if another process creates the file meanwhile.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| file.write_all(TEMPLATE.as_bytes()));
    match written {
        Ok(()) => {
            printer::out(&format!("wrote {name}\n"));
            Ok(ExitStatus::Ok)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(CommandError::invalid(miette::miette!(
                code = "tykdeps::init",
                help = "edit it, or remove it first to start again from the template",
                "{name} already exists; not overwriting it"
            )))
        }
        Err(e) => Err(CommandError::invalid(miette::miette!(
            code = "tykdeps::init",
            "cannot write {name}: {e}"
        ))),
    }
}
