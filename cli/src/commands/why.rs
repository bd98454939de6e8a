//! `tykdeps why MODULE [DIR]`: the requirement chains that put MODULE in the
//! build list, shortest first, one per module that requires its selected
//! version. Module-level: `go mod why -m` instead walks package imports.

use std::fmt::Write as _;

use crate::args::WhyArgs;
use crate::exit::{CommandError, ExitStatus};
use tykdeps_resolver::graph::discover::Mirror;

use crate::load;
use crate::printer;

pub(crate) fn run(args: &WhyArgs) -> Result<ExitStatus, CommandError> {
    let graph = load::graph_at(args.dir.as_deref(), Mirror::ModGraph)?;
    let Some(version) = graph.selected(&args.module) else {
        printer::out(&format!(
            "# {}\n(main module does not need module {})\n",
            args.module, args.module
        ));
        return Ok(ExitStatus::Ok);
    };
    let mut out = format!("# {} {version}\n", args.module);
    for chain in graph.why(&args.module) {
        let links: Vec<String> = chain.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "{}", links.join(" -> "));
    }
    printer::out(&out);
    Ok(ExitStatus::Ok)
}
