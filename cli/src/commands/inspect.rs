//! `tykdeps inspect FILE`: the Go build info of a binary, printed exactly as
//! `go version -m` prints it, and what `plugin.Open` reads from it.

use std::path::Path;

use tykdeps_resolver::buildinfo::file::{ReadFileError, read_elf_file};
use tykdeps_resolver::buildinfo::{ElfError, ElfFacts};

use crate::args::InspectArgs;
use crate::exit::{CommandError, ExitStatus};
use crate::printer;

pub(crate) fn run(args: &InspectArgs) -> Result<ExitStatus, CommandError> {
    let facts = load(&args.file)?;
    let name = args.file.display().to_string();
    if args.json {
        let value =
            serde_json::json!({ "file": name, "build_info": facts.build_info, "elf": facts });
        printer::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        ));
        return Ok(ExitStatus::Ok);
    }
    let mut text = match &facts.build_info {
        Some(info) => info.go_version_m(&name),
        None => format!(
            "{name}: no Go build info ({}); the package hashes below are what plugin.Open compares\n",
            facts.build_info_problem.as_deref().unwrap_or("none")
        ),
    };
    if args.symbols || facts.build_info.is_none() {
        text.push_str(&tykdeps_render::binary::symbols(&facts));
    }
    printer::out(&text);
    Ok(ExitStatus::Ok)
}

/// Read a Go binary, or say why not.
pub(crate) fn load(path: &Path) -> Result<ElfFacts, CommandError> {
    let facts = read_elf_file(path).map_err(|e| {
        let status = match &e {
            ReadFileError::Io { .. }
            | ReadFileError::Elf {
                source: ElfError::NotElf(_) | ElfError::Malformed(_),
                ..
            } => ExitStatus::Invalid,
        };
        CommandError::new(status, miette::miette!(code = "tykdeps::binary", "{e}"))
    })?;
    let is_go = facts.build_info.is_some() || !facts.hashes.by_package.is_empty();
    if !is_go {
        let report = miette::miette!(
            code = "tykdeps::binary",
            help = "tykdeps reads Go executables and Go plugins (go build -buildmode=plugin)",
            "{}: not a Go binary: {} and no Go package-hash symbols",
            path.display(),
            facts
                .build_info_problem
                .as_deref()
                .unwrap_or("no build info")
        );
        return Err(CommandError::invalid(report));
    }
    Ok(facts)
}
