//! `tykdeps parse FILE`: what the go command reads from a go.mod, go.work or go.sum.
//!
//! It is the smallest end-to-end use of the parser, and its `--json` output is
//! byte-for-byte comparable with `go mod edit -json` / `go work edit -json`,
//! which is how the parser is tested against the go command.

use std::path::Path;

use miette::{Diagnostic, Report};
use thiserror::Error;
use tykdeps_render::go_files::{json, mod_summary, sum_summary, work_summary};
use tykdeps_resolver::gomod::{self, Mode};

use crate::args::{FileKind, ParseArgs};
use crate::exit::{CommandError, ExitStatus};
use crate::printer;

/// Larger files are refused: real go.sum files stay far below this, and it
/// keeps a mistaken argument (a binary, a log) from being read whole.
const MAX_BYTES: u64 = 8 << 20;

/// Why the file could not be read at all.
#[derive(Debug, Error, Diagnostic)]
pub(super) enum ReadError {
    #[error("cannot read {file}: {source}")]
    #[diagnostic(code(tykdeps::parse::read))]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file} is {size} bytes; tykdeps reads files of at most {MAX_BYTES} bytes")]
    #[diagnostic(
        code(tykdeps::parse::too_large),
        help("is this really a go.mod, go.work or go.sum file?")
    )]
    TooLarge { file: String, size: u64 },
    #[error("{file} is not UTF-8 text (invalid byte at line {line})")]
    #[diagnostic(
        code(tykdeps::parse::encoding),
        help("go.mod, go.work and go.sum files are UTF-8 text")
    )]
    NotUtf8 { file: String, line: usize },
    #[error("cannot tell what kind of file {file} is")]
    #[diagnostic(
        code(tykdeps::parse::kind),
        help("name it go.mod, go.work or go.sum, or pass --kind mod|work|sum")
    )]
    UnknownKind { file: String },
}

pub(crate) fn run(args: &ParseArgs) -> Result<ExitStatus, CommandError> {
    printer::finish(parse(args).map_err(CommandError::invalid))
}

fn parse(args: &ParseArgs) -> Result<String, Report> {
    let name = args.file.display().to_string();
    let kind = args
        .kind
        .or_else(|| kind_from_name(&args.file))
        .ok_or_else(|| ReadError::UnknownKind { file: name.clone() })?;
    let text = read(&args.file, &name)?;
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

pub(super) fn read(path: &Path, name: &str) -> Result<String, ReadError> {
    let io = |source| ReadError::Io {
        file: name.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_BYTES {
        return Err(ReadError::TooLarge {
            file: name.to_owned(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].split(|&b| b == b'\n').count();
        ReadError::NotUtf8 {
            file: name.to_owned(),
            line,
        }
    })
}
