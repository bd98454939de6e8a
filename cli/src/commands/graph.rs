//! `tykdeps graph [DIR]`: the build list, printed exactly as `go list -m all`
//! (or `go list -m -json all`, or `go mod graph` with `--edges`) prints it.
//! An unchanged module's output comes from the memo (see `memo.rs`).

use crate::args::GraphArgs;
use crate::exit::{CommandError, ExitStatus};
use tykdeps_resolver::graph::discover::Mirror;
use tykdeps_resolver::graph::driver::ListForm;

use crate::load;
use crate::memo::Memo;
use crate::printer;
use crate::settings::Settings;

pub(crate) fn run(args: &GraphArgs) -> Result<ExitStatus, CommandError> {
    printer::finish(output(args))
}

fn output(args: &GraphArgs) -> Result<String, CommandError> {
    let settings = Settings::from_env()?;
    let start = load::start_dir(args.dir.as_deref())?;
    let (form, mirror) = if args.edges {
        ("edges", Mirror::ModGraph)
    } else if args.json {
        ("json", Mirror::List)
    } else {
        ("list", Mirror::List)
    };
    let memo = Memo::new(&settings, &start, form);
    if let Some(text) = memo.as_ref().and_then(Memo::output) {
        return Ok(text);
    }
    let list_form = if args.json {
        ListForm::Json
    } else {
        ListForm::Text
    };
    let (graph, dirs) = load::graph_in(&settings, &start, mirror, list_form)?;
    let text = match form {
        "edges" => graph.edges_text(),
        "json" => graph.list_json_text(),
        _ => graph.list_text(),
    };
    if let Some(memo) = memo {
        memo.save(&dirs, &text);
    }
    load::kept_until_exit(graph);
    Ok(text)
}
