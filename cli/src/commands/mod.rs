//! One module per subcommand; `run` dispatches. A command returns its exit
//! status, or a [`CommandError`] that `main` prints.

use crate::args::{Cli, Command};
use crate::exit::{CommandError, ExitStatus};

mod audit;
mod bot_config;
mod cache;
mod comment;
mod explain;
mod fix;
pub(crate) mod gateway;
mod graph;
mod init;
mod inspect;
mod parse;
mod pin;
mod setup;
mod snapshot;
mod source_audit;
mod upgrade;
mod why;

pub(crate) fn run(cli: Cli) -> Result<ExitStatus, CommandError> {
    match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Why(args) => why::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Upgrade(args) => upgrade::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Pin(args) => pin::run(&args),
        Command::Setup(args) => setup::run(&args),
        Command::Cache(args) => cache::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::BotConfig(args) => bot_config::run(&args),
        Command::Comment(args) => comment::run(&args),
        Command::Snapshot(args) => snapshot::run(&args),
        Command::Gateway(args) => match &args.action {
            crate::args::GatewayAction::Resolve(args) => gateway::run(args),
        },
    }
}
