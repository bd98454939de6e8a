//! `tykdeps audit --gateway-bin G --plugin-so P...`: predict `plugin.Open` from
//! the built files, and explain every mismatch with build info.

use std::fmt::Write as _;
use std::path::Path;

use tykdeps_resolver::audit::{Gateway, Mode, PluginReport, Report};
use tykdeps_resolver::buildinfo::GlibcVersion;
use tykdeps_resolver::buildinfo::predict::{
    self, Binary, Finding, Prediction, Severity, Target, Verdict,
};

use super::inspect::load;
use crate::args::{AuditArgs, Format};
use crate::exit::ExitStatus;
use crate::printer;

pub(crate) fn run(args: &AuditArgs) -> ExitStatus {
    let target = match args.max_glibc.as_deref().map(parse_glibc).transpose() {
        Ok(max_glibc) => Target { max_glibc },
        Err(status) => return status,
    };
    let gateway = match binary(&args.gateway_bin) {
        Ok(b) => b,
        Err(status) => return status,
    };
    let mut plugins = Vec::new();
    for path in &args.plugin_so {
        match binary(path) {
            Ok(b) => plugins.push(b),
            Err(status) => return status,
        }
    }
    let prediction = predict::predict(&gateway, &plugins, target);
    match args.format {
        Format::Json => printer::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report(&gateway, &prediction)).unwrap_or_default()
        )),
        Format::Human => printer::out(&human(&gateway, &prediction)),
    }
    match prediction.verdict {
        Verdict::Loads => ExitStatus::Ok,
        Verdict::Fails => ExitStatus::Fails,
        Verdict::Unknown => ExitStatus::CouldNotCheck,
    }
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

fn binary(path: &Path) -> Result<Binary, ExitStatus> {
    let facts = load(path)?;
    let real_path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(Binary {
        name: path.display().to_string(),
        real_path: real_path.display().to_string(),
        facts,
    })
}

fn all_findings(prediction: &Prediction) -> impl Iterator<Item = &Finding> {
    prediction
        .gateway_findings
        .iter()
        .chain(prediction.plugins.iter().flat_map(|p| &p.findings))
}

/// The binary audit in the findings model shared with the static audit.
fn report(gateway: &Binary, prediction: &Prediction) -> Report {
    let info = gateway.facts.build_info.as_ref();
    let plugins = prediction
        .plugins
        .iter()
        .map(|p| PluginReport {
            module: p.module.clone(),
            dir: p.file.clone(),
            verdict: p.verdict,
            loader_message: p.loader_message.clone(),
            findings: p.findings.clone(),
        })
        .collect();
    Report::new(
        Mode::Binary,
        Gateway {
            module: info.map(|b| b.main.path.clone()).filter(|p| !p.is_empty()),
            version: info
                .map(|b| b.main.version.clone())
                .filter(|v| !v.is_empty()),
            dir: Some(gateway.name.clone()),
        },
        prediction.gateway_findings.clone(),
        plugins,
    )
}

fn human(gateway: &Binary, prediction: &Prediction) -> String {
    let mut out = String::new();
    let info = gateway.facts.build_info.as_ref();
    let _ = writeln!(
        out,
        "gateway {} ({} {}, {})",
        gateway.name,
        info.map_or("?", |b| b.main.path.as_str()),
        info.map_or("?", |b| b.main.version.as_str()),
        info.map_or("?", |b| b.go_version.as_str())
    );
    for f in &prediction.gateway_findings {
        write_finding(&mut out, f);
    }
    for p in &prediction.plugins {
        let verdict = match p.verdict {
            Verdict::Loads => "loads",
            Verdict::Fails => "FAILS",
            Verdict::Unknown => "unknown",
        };
        let _ = writeln!(
            out,
            "\nplugin {} ({}): {verdict}",
            p.file,
            p.module.as_deref().unwrap_or("?")
        );
        if let Some(message) = &p.loader_message {
            let _ = writeln!(out, "  the loader says: {message}");
        }
        for f in &p.findings {
            write_finding(&mut out, f);
        }
    }
    let count = |s: Severity| all_findings(prediction).filter(|f| f.severity == s).count();
    let verdict = serde_json::to_value(prediction.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\nverdict: {verdict} ({} errors, {} warnings, {} notes)",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note)
    );
    out
}

fn write_finding(out: &mut String, f: &Finding) {
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let _ = writeln!(out, "  {severity}[{}]: {}", f.rule, f.message);
    if !f.packages.is_empty() {
        let _ = writeln!(
            out,
            "    packages ({}): {}",
            f.packages.len(),
            f.packages.join(", ")
        );
    }
    let _ = writeln!(out, "    why: {}", f.why);
    for s in &f.suggestions {
        let _ = writeln!(out, "    fix: {}", s.description);
        if let Some(cmd) = &s.go_command {
            let _ = writeln!(out, "         $ {cmd}");
        }
        if let Some(edit) = &s.edit {
            let _ = writeln!(out, "         go.mod: {edit}");
        }
    }
}
