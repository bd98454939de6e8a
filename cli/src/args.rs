//! What the user typed, as clap structs. Commands turn these into settings
//! before doing anything; nothing else looks at clap types.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Will this Go plugin load into that Tyk Gateway? Find out before you build.
#[derive(Debug, Parser)]
#[command(name = "tykdeps", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Parse a go.mod, go.work or go.sum file and print what the go command reads from it.
    Parse(ParseArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ParseArgs {
    /// The file: go.mod, go.work or go.sum (recognised by name, or by `--kind`).
    pub(crate) file: PathBuf,
    /// Print JSON: for go.mod exactly what `go mod edit -json` prints, for go.work
    /// what `go work edit -json` prints, for go.sum an array of lines.
    #[arg(long)]
    pub(crate) json: bool,
    /// The file's kind, for names other than go.mod, go.work and go.sum
    /// (`*.mod`, `*.work` and `*.sum` are recognised too).
    #[arg(long, value_enum)]
    pub(crate) kind: Option<FileKind>,
}

/// Which grammar a file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FileKind {
    /// A go.mod file.
    Mod,
    /// A go.work file.
    Work,
    /// A go.sum or go.work.sum file.
    Sum,
}
