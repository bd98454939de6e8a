//! `tykdeps audit`: predict `plugin.Open` from source (see `source_audit`) or,
//! with `--gateway-bin G --plugin-so P...`, from the built files, explaining
//! every mismatch with build info; then apply the project's tykdeps.toml and
//! print the report in the format asked for.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use tykdeps_resolver::audit::config::{self, Config};
use tykdeps_resolver::audit::engine::{Matrix, Request};
use tykdeps_resolver::audit::{Gateway, Identity, Mode, Report};
use tykdeps_resolver::buildinfo::GlibcVersion;
use tykdeps_resolver::buildinfo::predict::{self, Binary, Prediction, Target, Verdict};

use super::inspect::load;
use super::source_audit;
use crate::args::AuditArgs;
use crate::exit::{CommandError, ExitStatus};
use crate::settings::Settings;
use crate::{printer, render};

/// The policy file read when `--config` is not given.
const DEFAULT_CONFIG: &str = "tykdeps.toml";

pub(crate) fn run(args: &AuditArgs) -> Result<ExitStatus, CommandError> {
    let policy = policy(args.report.config.as_deref())?;
    let docs = docs_url(args.report.docs_url.as_deref(), policy.as_ref()).map(str::to_owned);
    let mut report = match &args.source.gateway_bin {
        Some(gateway_bin) if !args.plugin_so.is_empty() => {
            let report = binary_report(args, gateway_bin)?;
            match &policy {
                Some(policy) => policy.apply(report),
                None => report,
            }
        }
        _ => {
            // The gateways are read once: several make a matrix, one an audit.
            let settings = Settings::from_env()?;
            let (request, mut gateways) =
                source_audit::matrix_request(&args.source, &settings, policy)?;
            if gateways.len() > 1 {
                let mut matrix = source_audit::run_matrix(&request, gateways, &settings)?;
                relative_paths(args, matrix.cells.iter_mut().map(|c| &mut c.audit.report));
                return Ok(print_matrix(
                    &matrix,
                    args.report.format,
                    args.report.verbose,
                    docs.as_deref(),
                ));
            }
            let request = Request {
                gateway: gateways.remove(0).spec,
                ..request
            };
            source_audit::run(&request, &settings)?.report
        }
    };
    relative_paths(args, [&mut report]);
    Ok(print(
        &report,
        args.report.format,
        args.report.verbose,
        docs.as_deref(),
    ))
}

/// Reports read elsewhere name files as the repository does.
fn relative_paths<'r>(args: &AuditArgs, reports: impl IntoIterator<Item = &'r mut Report>) {
    if args.report.format == crate::args::Format::Human {
        return;
    }
    let dir = args.source.dir.as_deref().unwrap_or(Path::new("."));
    if let Some(root) = crate::repo_paths::root(dir) {
        for report in reports {
            crate::repo_paths::relative(report, &root);
        }
    }
}

/// The docs base URL: `--docs-url`, else the policy's `docs_url`.
pub(crate) fn docs_url<'a>(flag: Option<&'a str>, policy: Option<&'a Config>) -> Option<&'a str> {
    flag.or_else(|| policy.and_then(|p| p.docs_url.as_deref()))
}

/// Print `report` in `format`, rules linked into `docs`; the exit status
/// its verdict maps to.
pub(crate) fn print(
    report: &Report,
    format: crate::args::Format,
    verbose: bool,
    docs: Option<&str>,
) -> ExitStatus {
    printer::out(&rendered(report, format, verbose, docs));
    status(report.verdict)
}

/// `report` in `format`, as [`print`] prints it.
pub(crate) fn rendered(
    report: &Report,
    format: crate::args::Format,
    verbose: bool,
    docs: Option<&str>,
) -> String {
    let sources = render::read_sources(report, format);
    let color = format == crate::args::Format::Human && std::io::stdout().is_terminal();
    let human = render::Human { color, verbose };
    render::render(report, format, &sources, human, docs)
}

/// Print `matrix` in `format`, rules linked into `docs`; the exit status
/// its overall verdict maps to.
fn print_matrix(
    matrix: &Matrix,
    format: crate::args::Format,
    verbose: bool,
    docs: Option<&str>,
) -> ExitStatus {
    let color = format == crate::args::Format::Human && std::io::stdout().is_terminal();
    let human = render::Human { color, verbose };
    printer::out(&render::render_matrix(matrix, format, human, docs));
    status(matrix.verdict)
}

/// The exit status a verdict maps to.
pub(crate) fn status(verdict: Verdict) -> ExitStatus {
    match verdict {
        Verdict::Loads => ExitStatus::Ok,
        Verdict::Fails => ExitStatus::Fails,
        Verdict::Unknown => ExitStatus::CouldNotCheck,
    }
}

fn binary_report(args: &AuditArgs, gateway_bin: &Path) -> Result<Report, CommandError> {
    let target = Target {
        max_glibc: args.max_glibc.as_deref().map(parse_glibc).transpose()?,
    };
    let gateway = binary(gateway_bin)?;
    let plugins = args
        .plugin_so
        .iter()
        .map(|p| binary(p))
        .collect::<Result<Vec<_>, _>>()?;
    let prediction = predict::predict(&gateway, &plugins, target);
    Ok(report(&gateway, &prediction))
}

/// The policy: `--config FILE`, else ./tykdeps.toml if there is one. A file
/// that cannot be read or is wrong stops the audit (exit 2) with the line named.
pub(crate) fn policy(explicit: Option<&Path>) -> Result<Option<Config>, CommandError> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None if Path::new(DEFAULT_CONFIG).is_file() => PathBuf::from(DEFAULT_CONFIG),
        None => return Ok(None),
    };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CommandError::invalid(miette::miette!(
            code = "tykdeps::config",
            "cannot read {name}: {e}"
        ))
    })?;
    config::parse(&name, &text)
        .map(Some)
        .map_err(|e| CommandError::invalid(miette::Report::new(e)))
}

fn parse_glibc(text: &str) -> Result<GlibcVersion, CommandError> {
    GlibcVersion::parse(text.trim_start_matches("GLIBC_")).ok_or_else(|| {
        CommandError::invalid(miette::miette!(
            code = "tykdeps::usage",
            "--max-glibc {text}: expected a version like 2.36"
        ))
    })
}

pub(crate) fn binary(path: &Path) -> Result<Binary, CommandError> {
    let facts = load(path)?;
    let real_path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(Binary {
        name: path.display().to_string(),
        real_path: real_path.display().to_string(),
        facts,
    })
}

/// The binary audit in the findings model shared with the static audit.
fn report(gateway: &Binary, prediction: &Prediction) -> Report {
    let info = gateway.facts.build_info.as_ref();
    let plugins = prediction.plugins.clone();
    Report::new(
        Mode::Binary,
        info.map(Identity::of_binary)
            .unwrap_or_default()
            .fill(Gateway {
                module: info.map(|b| b.main.path.clone()).filter(|p| !p.is_empty()),
                version: info
                    .map(|b| b.main.version.clone())
                    .filter(|v| !v.is_empty()),
                dir: Some(gateway.name.clone()),
                ..Gateway::default()
            }),
        prediction.gateway_findings.clone(),
        plugins,
    )
}
