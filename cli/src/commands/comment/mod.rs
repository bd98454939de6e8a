//! `tykdeps comment REPORT.json [--baseline BASE.json]`: the pull-request
//! bot. Findings of the pull request's report are classified against the
//! base branch's by fingerprint (new, fixed, unchanged) and rendered as one
//! GitHub comment; `--dry-run` prints it, otherwise it is posted (one
//! comment per pull request, updated in place). The exit status follows
//! `--fail-on`.

mod body;
mod report;

use miette::miette;

use crate::args::{CommentArgs, FailOn};
use crate::exit::ExitStatus;
use crate::printer;
use crate::settings::GitHub;

pub(crate) fn run(args: &CommentArgs) -> ExitStatus {
    match comment(args) {
        Ok(status) | Err(status) => status,
    }
}

fn comment(args: &CommentArgs) -> Result<ExitStatus, ExitStatus> {
    let read = |path: &std::path::Path| {
        report::read(path).map_err(|refused| {
            printer::diagnostic(&miette!(
                code = "tykdeps::report",
                help = "pass reports written by `tykdeps audit --format json`",
                "{refused}"
            ));
            ExitStatus::Invalid
        })
    };
    let pr = read(&args.report)?;
    let base = args.baseline.as_deref().map(read).transpose()?;
    let github = GitHub::from_env();
    let classified = body::classify(&pr, base.as_ref());
    let baseline = args.baseline.as_ref().map(|b| b.display().to_string());
    let context = body::Context {
        baseline: baseline.as_deref(),
        docs: args.docs_url.as_deref(),
        run_url: github.run_url.as_deref(),
    };
    let text = body::render(&pr, &classified, context, body::LIMIT);
    if args.dry_run {
        printer::out(&text);
    } else {
        printer::diagnostic(&miette!(
            code = "tykdeps::usage",
            "posting the comment is not available yet; use --dry-run"
        ));
        return Err(ExitStatus::Invalid);
    }
    let fails = match args.fail_on {
        FailOn::New => classified
            .new
            .iter()
            .any(|f| f.severity == report::Severity::Error),
        FailOn::Any => pr
            .findings
            .iter()
            .any(|f| f.severity == report::Severity::Error),
        FailOn::None => false,
    };
    Ok(if fails {
        ExitStatus::Fails
    } else {
        ExitStatus::Ok
    })
}
