//! `tykdeps graph [DIR]`: the build list, printed exactly as `go list -m all`
//! (or `go list -m -json all`, or `go mod graph` with `--edges`) prints it.

use crate::args::GraphArgs;
use crate::exit::ExitStatus;
use crate::load;
use crate::printer;

pub(crate) fn run(args: &GraphArgs) -> ExitStatus {
    match load::graph_at(
        args.dir.as_deref(),
        if args.edges {
            load::Mirror::ModGraph
        } else {
            load::Mirror::List
        },
    ) {
        Ok(graph) => {
            let text = if args.edges {
                graph.edges_text()
            } else if args.json {
                graph.list_json_text()
            } else {
                graph.list_text()
            };
            printer::out(&text);
            ExitStatus::Ok
        }
        Err((report, status)) => {
            printer::diagnostic(&report);
            status
        }
    }
}
