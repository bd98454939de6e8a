//! `tykdeps explain RULE`: print a rule's page from the user guide, as
//! compiled into the binary, so the page a finding names is always at hand.

use miette::miette;
use tykdeps_resolver::audit::RuleId;

use crate::args::ExplainArgs;
use crate::exit::{CommandError, ExitStatus};
use tykdeps_render::rule_pages;

use crate::printer;

pub(crate) fn run(args: &ExplainArgs) -> Result<ExitStatus, CommandError> {
    let typed = args.rule.trim();
    if let Some(page) = RuleId::from_id(typed).and_then(rule_pages::page) {
        printer::out(page);
        if !page.ends_with('\n') {
            printer::out("\n");
        }
        return Ok(ExitStatus::Ok);
    }
    let close = rule_pages::close_ids(typed);
    let help = if close.is_empty() {
        let all: Vec<&str> = RuleId::ALL.iter().map(|r| r.id()).collect();
        format!("the rules are: {}", all.join(", "))
    } else {
        format!("did you mean: {}?", close.join(", "))
    };
    Err(CommandError::invalid(miette!(
        code = "tykdeps::usage",
        help = help,
        "unknown rule `{typed}`"
    )))
}
