//! `tykdeps parse FILE`: what the go command reads from a go.mod, go.work or go.sum.
//!
//! It is the smallest end-to-end use of the parser, and its `--json` output is
//! byte-for-byte comparable with `go mod edit -json` / `go work edit -json`,
//! which is how the parser is tested against the go command.

use std::path::Path;

use miette::{Report, miette};
use tykdeps_render::go_files::{json, mod_summary, sum_summary, work_summary};
use tykdeps_resolver::gomod::{self, Mode};
use tykdeps_resolver::source::text_file;

use crate::args::{FileKind, ParseArgs};
use crate::exit::{CommandError, ExitStatus};
use crate::printer;

pub(crate) fn run(args: &ParseArgs) -> Result<ExitStatus, CommandError> {
    printer::finish(parse(args).map_err(CommandError::invalid))
}

fn parse(args: &ParseArgs) -> Result<String, Report> {
    let name = args.file.display().to_string();
    let kind = args
        .kind
        .or_else(|| kind_from_name(&args.file))
        .ok_or_else(|| {
            miette!(
                code = "tykdeps::parse::kind",
                help = "name it go.mod, go.work or go.sum, or pass --kind mod|work|sum",
                "cannot tell what kind of file {name} is"
            )
        })?;
    let text = text_file::read(&args.file, &name)?;
    let output = match kind {
        FileKind::Mod => {
            let file = gomod::parse_mod(&name, &text, Mode::Strict)?;
            if args.json {
                json(&gomod::mod_json(&file))
            } else {
                mod_summary(&file)
            }
        }
        FileKind::Work => {
            let file = gomod::parse_work(&name, &text)?;
            if args.json {
                json(&gomod::work_json(&file))
            } else {
                work_summary(&file)
            }
        }
        FileKind::Sum => {
            let file = gomod::parse_sum(&name, &text)?;
            if args.json {
                json(&gomod::sum_json(&file))
            } else {
                sum_summary(&file)
            }
        }
    };
    Ok(output)
}

/// `go.mod`/`*.mod`, `go.work`/`*.work`, `go.sum`/`go.work.sum`/`*.sum`.
fn kind_from_name(path: &Path) -> Option<FileKind> {
    match path.extension()?.to_str()? {
        "mod" => Some(FileKind::Mod),
        "work" => Some(FileKind::Work),
        "sum" => Some(FileKind::Sum),
        _ => None,
    }
}
