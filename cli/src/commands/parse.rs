//! `tykdeps parse FILE`: what the go command reads from a go.mod, go.work or go.sum.

use crate::args::ParseArgs;
use crate::exit::ExitStatus;

pub(crate) fn run(_args: &ParseArgs) -> ExitStatus {
    ExitStatus::Invalid
}
