//! `tykdeps comment REPORT.json... [--baseline BASE.json]...`: the
//! pull-request bot. Findings of the pull request's reports (one per plugin
//! directory) are classified against the base branch's by fingerprint (new,
//! fixed, unchanged) and rendered as one GitHub comment; `--dry-run` prints
//! it, otherwise it is posted (one comment per pull request, updated in
//! place). The exit status follows `--fail-on`.

use miette::miette;
use tykdeps_resolver::audit::Severity;
use tykdeps_resolver::audit::read_back::{self, Loaded};

use crate::args::{CommentArgs, FailOn};
use crate::exit::{CommandError, ExitStatus};
use crate::printer;
use tykdeps_resolver::github;

pub(crate) fn run(args: &CommentArgs) -> Result<ExitStatus, CommandError> {
    let read = |paths: &[std::path::PathBuf]| {
        let reports = paths
            .iter()
            .map(|path| read(path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, CommandError>(Loaded::merge(reports))
    };
    let pr = read(&args.report)?.expect("clap requires a report");
    let base = read(&args.baseline)?;
    let github = crate::settings::github();
    let classified = tykdeps_render::comment::classify(&pr, base.as_ref());
    // File names only: the directory is the runner's, of no use to a reader.
    let baseline: Vec<String> = args
        .baseline
        .iter()
        .map(|b| {
            b.file_name()
                .unwrap_or(b.as_os_str())
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let context = tykdeps_render::comment::Context {
        baseline: &baseline,
        docs: args.docs_url.as_deref(),
        run_url: github.run_url.as_deref(),
    };
    let text =
        tykdeps_render::comment::render(&pr, &classified, context, tykdeps_render::comment::LIMIT);
    if args.dry_run {
        printer::out(&text);
    } else {
        let target = github::target(args.pr, &github).map_err(|message| {
            CommandError::invalid(miette!(code = "tykdeps::usage", "{message}"))
        })?;
        let posted = crate::load::runtime()?
            .block_on(github::post(
                &target,
                &text,
                tykdeps_render::comment::MARKER,
            ))
            .map_err(|e| CommandError::new(ExitStatus::CouldNotCheck, miette::Report::new(e)))?;
        let (verb, id, url) = match posted {
            github::Posted::Created { id, url } => ("created", id, url),
            github::Posted::Updated { id, url } => ("updated", id, url),
        };
        printer::out(&format!(
            "{verb} comment {id} on {}#{} {url}\n",
            target.repository, target.number
        ));
    }
    let fails = match args.fail_on {
        FailOn::New => classified.new.iter().any(|f| f.severity == Severity::Error),
        FailOn::Any => pr.findings.iter().any(|f| f.severity == Severity::Error),
        FailOn::None => false,
    };
    Ok(if fails {
        ExitStatus::Fails
    } else {
        ExitStatus::Ok
    })
}

/// Read and check the report at `path`.
fn read(path: &std::path::Path) -> Result<Loaded, CommandError> {
    let refuse = |problem: &dyn std::fmt::Display| {
        CommandError::invalid(miette!(
            code = "tykdeps::report",
            help = "pass reports written by `tykdeps audit --format json`",
            "{}: {problem}",
            path.display()
        ))
    };
    let text = std::fs::read_to_string(path).map_err(|e| refuse(&format!("cannot read: {e}")))?;
    read_back::read(&text).map_err(|refused| refuse(&refused))
}
