//! One module per subcommand; `run` dispatches and maps results to exit codes.

use crate::args::{Cli, Command};
use crate::exit::ExitStatus;

mod parse;

pub(crate) fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Parse(args) => parse::run(&args),
    }
}
