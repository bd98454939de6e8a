//! `tykdeps audit`: predict `plugin.Open` from source (see `source_audit`) or,
//! with `--gateway-bin G --plugin-so P...`, from the built files, explaining
//! every mismatch with build info; then apply the project's tykdeps.toml and
//! print the report in the format asked for.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use tykdeps_resolver::audit::config::{self, Config};
use tykdeps_resolver::audit::{Gateway, Mode, Report};
use tykdeps_resolver::buildinfo::GlibcVersion;
use tykdeps_resolver::buildinfo::predict::{self, Binary, Prediction, Target, Verdict};

use super::inspect::load;
use crate::args::AuditArgs;
use crate::exit::ExitStatus;
use crate::vcs::Identity;
use crate::{printer, render};

/// The policy file read when `--config` is not given.
const DEFAULT_CONFIG: &str = "tykdeps.toml";

pub(crate) fn run(args: &AuditArgs) -> ExitStatus {
    match audit(args) {
        Ok(status) | Err(status) => status,
    }
}

fn audit(args: &AuditArgs) -> Result<ExitStatus, ExitStatus> {
    let policy = policy(args.config.as_deref())?;
    let mut report = match &args.source.gateway_bin {
        Some(gateway_bin) if !args.plugin_so.is_empty() => binary_report(args, gateway_bin)?,
        _ => super::source_audit::report(&args.source).map_err(|(report, status)| {
            printer::diagnostic(&report);
            status
        })?,
    };
    if let Some(policy) = &policy {
        report = policy.apply(report);
    }
    // Reports read elsewhere name files as the repository does.
    if args.format != crate::args::Format::Human {
        let dir = args.source.dir.as_deref().unwrap_or(Path::new("."));
        if let Some(root) = crate::repo_paths::root(dir) {
            crate::repo_paths::relative(&mut report, &root);
        }
    }
    let docs = docs_url(args.docs_url.as_deref(), policy.as_ref());
    Ok(print(&report, args.format, args.verbose, docs))
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
    let sources = render::read_sources(report);
    let color = format == crate::args::Format::Human && std::io::stdout().is_terminal();
    let human = render::Human { color, verbose };
    printer::out(&render::render(report, format, &sources, human, docs));
    match report.verdict {
        Verdict::Loads => ExitStatus::Ok,
        Verdict::Fails => ExitStatus::Fails,
        Verdict::Unknown => ExitStatus::CouldNotCheck,
    }
}

fn binary_report(args: &AuditArgs, gateway_bin: &Path) -> Result<Report, ExitStatus> {
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
pub(crate) fn policy(explicit: Option<&Path>) -> Result<Option<Config>, ExitStatus> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None if Path::new(DEFAULT_CONFIG).is_file() => PathBuf::from(DEFAULT_CONFIG),
        None => return Ok(None),
    };
    let name = path.display().to_string();
    let invalid = |report: miette::Report| {
        printer::diagnostic(&report);
        ExitStatus::Invalid
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        invalid(miette::miette!(
            code = "tykdeps::config",
            "cannot read {name}: {e}"
        ))
    })?;
    config::parse(&name, &text)
        .map(Some)
        .map_err(|e| invalid(miette::Report::new(e)))
}

fn parse_glibc(text: &str) -> Result<GlibcVersion, ExitStatus> {
    GlibcVersion::parse(text.trim_start_matches("GLIBC_")).ok_or_else(|| {
        printer::diagnostic(&miette::miette!(
            code = "tykdeps::usage",
            "--max-glibc {text}: expected a version like 2.36"
        ));
        ExitStatus::Invalid
    })
}

pub(crate) fn binary(path: &Path) -> Result<Binary, ExitStatus> {
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
