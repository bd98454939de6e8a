//! `tykdeps upgrade --to REF [DIR]`: what moving the plugin to another
//! gateway requires, proven by auditing the planned go.mod against it.
//!
//! The plan is the library's ([`engine::upgrade`]); this turns the flags
//! into its two requests (the gateway now, the gateway to move to), prints
//! the plan and the proof in the format asked for, and exits with the
//! proof's verdict. `tykdeps fix --to` applies the same plan.

use std::fmt::Write as _;

use tykdeps_resolver::audit::Gateway;
use tykdeps_resolver::audit::engine::{self, Request, Upgrade};

use super::{audit, source_audit};
use crate::args::{Format, SourceArgs, UpgradeArgs};
use crate::exit::{CommandError, ExitStatus};
use crate::settings::Settings;
use crate::{diff, load, printer};

pub(crate) fn run(args: &UpgradeArgs) -> Result<ExitStatus, CommandError> {
    let policy = audit::policy(args.report.config.as_deref())?;
    let docs = audit::docs_url(args.report.docs_url.as_deref(), policy.as_ref()).map(str::to_owned);
    let settings = Settings::from_env()?;
    let (from, to) = requests(
        &args.source,
        &args.to,
        args.from.as_deref(),
        &settings,
        policy,
    )?;
    let upgrade = plan(&from, &to, &settings)?;
    printer::out(&render(
        &upgrade,
        args.report.format,
        args.report.verbose,
        docs.as_deref(),
    ));
    Ok(audit::status(upgrade.proven.report.verdict))
}

/// The requests of the gateway now (`from`, else what `source` names) and
/// of the gateway `to`; a REF that is a file is a snapshot.
pub(crate) fn requests(
    source: &SourceArgs,
    to: &str,
    from: Option<&str>,
    settings: &Settings,
    policy: Option<tykdeps_resolver::audit::config::Config>,
) -> Result<(Request, Request), CommandError> {
    let now = match from {
        Some(from) => naming(source, from),
        None => source.clone(),
    };
    let from_request = source_audit::request(&now, settings, policy.clone())
        .map_err(|e| naming_flag(e, "--from", from.unwrap_or("(the current gateway)")))?;
    let to_request = source_audit::request(&naming(source, to), settings, policy)
        .map_err(|e| naming_flag(e, "--to", to))?;
    Ok((from_request, to_request))
}

/// `e` said of the gateway flags, named as the user gave the gateway.
fn naming_flag(e: CommandError, flag: &str, reference: &str) -> CommandError {
    CommandError::new(e.status, e.report.wrap_err(format!("{flag} {reference}")))
}

/// `source` with its gateway flags replaced by `reference` (a snapshot
/// file too, as `--gateway` reads one).
fn naming(source: &SourceArgs, reference: &str) -> SourceArgs {
    SourceArgs {
        gateway: vec![reference.to_owned()],
        gateway_snapshot: Vec::new(),
        gateway_bin: None,
        ..source.clone()
    }
}

/// The plan of moving from `from`'s gateway to `to`'s, proven.
pub(crate) fn plan(
    from: &Request,
    to: &Request,
    settings: &Settings,
) -> Result<Upgrade, CommandError> {
    let host = source_audit::CliHost::new(settings);
    let mut upgrade = load::runtime()?.block_on(engine::upgrade(from, to, &host))?;
    if let Some(cause) = upgrade.proven.unfetched.take() {
        printer::diagnostic(&miette::Report::new(cause));
    }
    Ok(upgrade)
}

/// The plan, then the proving audit's report, in `format`. SARIF carries
/// the proving audit's findings only: a plan is no code-scanning result.
pub(crate) fn render(
    upgrade: &Upgrade,
    format: Format,
    verbose: bool,
    docs: Option<&str>,
) -> String {
    let report = audit::rendered(&upgrade.proven.report, format, verbose, docs);
    match format {
        Format::Human => format!("{}\n{report}", human(upgrade)),
        Format::Markdown => format!("{}\n{report}", markdown(upgrade)),
        Format::Sarif => report,
        Format::Json => {
            let report: serde_json::Value =
                serde_json::from_str(&report).unwrap_or(serde_json::Value::String(report));
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "upgrade": json(upgrade),
                "verdict": report.get("verdict").cloned().unwrap_or_default(),
                "report": report,
            }))
            .unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// A gateway as the plan names it: its version, else its directory.
fn named(gateway: &Gateway) -> &str {
    gateway
        .shown_version()
        .or(gateway.dir.as_deref())
        .unwrap_or("(unknown)")
}

fn human(upgrade: &Upgrade) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "upgrade {} {} -> {} (proven by auditing the planned go.mod against {}; {} audit(s))",
        upgrade.gateway_module,
        named(&upgrade.from),
        named(&upgrade.to),
        named(&upgrade.to),
        upgrade.rounds
    );
    for plugin in &upgrade.plugins {
        let _ = writeln!(
            out,
            "\nplugin {} ({})",
            plugin.module.as_deref().unwrap_or("(unnamed)"),
            plugin.go_mod.display()
        );
        for m in &plugin.gateway_moves {
            let _ = writeln!(
                out,
                "  the gateway moves {} {} -> {}",
                m.module,
                m.from.as_deref().unwrap_or("(none)"),
                m.to
            );
        }
        if plugin.moves.is_empty() {
            out.push_str("  no requirement moves\n");
        }
        for m in &plugin.moves {
            let _ = writeln!(
                out,
                "  move {} {} -> {}",
                m.module,
                m.from.as_deref().unwrap_or("(not required)"),
                m.to
            );
            if !m.why.is_empty() {
                let _ = writeln!(out, "    why: {}", m.why.replace('\n', "\n         "));
            }
        }
        for f in &plugin.conflicts {
            let _ = writeln!(out, "  still conflicts ({}): {}", f.rule, f.message);
            if !f.why.is_empty() {
                let _ = writeln!(out, "    why: {}", f.why.replace('\n', "\n         "));
            }
        }
        for manual in &plugin.by_hand {
            let _ = writeln!(out, "  by hand: {manual}");
        }
        for c in &plugin.go_mod_changes {
            let _ = writeln!(out, "  {} {}: {}", c.module, c.kind.describe(), c.message);
        }
        for a in &plugin.alternatives {
            let _ = writeln!(out, "  alternative: {a}");
        }
        if plugin.planned != plugin.text {
            out.push_str(&diff::unified(
                &plugin.go_mod,
                &plugin.text,
                &plugin.planned,
            ));
        }
    }
    out
}

fn markdown(upgrade: &Upgrade) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### tykdeps upgrade: `{}` `{}` → `{}`\n",
        upgrade.gateway_module,
        named(&upgrade.from),
        named(&upgrade.to)
    );
    for plugin in &upgrade.plugins {
        let _ = writeln!(
            out,
            "**{}**\n",
            plugin.module.as_deref().unwrap_or("(unnamed)")
        );
        if !plugin.moves.is_empty() {
            out.push_str("| module | now | after | why |\n|---|---|---|---|\n");
            for m in &plugin.moves {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | `{}` | {} |",
                    m.module,
                    m.from
                        .as_deref()
                        .map_or("—".to_owned(), |v| format!("`{v}`")),
                    m.to,
                    m.why.replace('\n', " ").replace('|', "\\|")
                );
            }
            out.push('\n');
        }
        for m in &plugin.gateway_moves {
            let _ = writeln!(
                out,
                "- the gateway moves `{}` {} → `{}`",
                m.module,
                m.from
                    .as_deref()
                    .map_or("—".to_owned(), |v| format!("`{v}`")),
                m.to
            );
        }
        for f in &plugin.conflicts {
            let _ = writeln!(out, "- still conflicts (`{}`): {}", f.rule, f.message);
        }
        for manual in &plugin.by_hand {
            let _ = writeln!(out, "- by hand: {manual}");
        }
        for c in &plugin.go_mod_changes {
            let _ = writeln!(out, "- `{}` {}", c.module, c.kind.describe());
        }
        for a in &plugin.alternatives {
            let _ = writeln!(out, "- alternative: {a}");
        }
        out.push('\n');
    }
    out
}

fn json(upgrade: &Upgrade) -> serde_json::Value {
    let plugins: Vec<serde_json::Value> = upgrade
        .plugins
        .iter()
        .map(|p| {
            serde_json::json!({
                "module": p.module,
                "go_mod": p.go_mod.display().to_string(),
                "moves": p.moves.iter().map(|m| serde_json::json!({
                    "module": m.module, "from": m.from, "to": m.to, "why": m.why,
                })).collect::<Vec<_>>(),
                "gateway_moves": p.gateway_moves.iter().map(|m| serde_json::json!({
                    "module": m.module, "from": m.from, "to": m.to, "why": m.why,
                })).collect::<Vec<_>>(),
                "edits": p.edits.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "conflicts": p.conflicts.iter().map(|f| serde_json::json!({
                    "rule": f.rule.id(), "module": f.module, "message": f.message, "why": f.why,
                })).collect::<Vec<_>>(),
                "by_hand": p.by_hand,
                "go_mod_changes": p.go_mod_changes.iter().map(|c| serde_json::json!({
                    "module": c.module, "change": c.kind.id(), "message": c.message,
                })).collect::<Vec<_>>(),
                "alternatives": p.alternatives,
                "diff": diff::unified(&p.go_mod, &p.text, &p.planned),
            })
        })
        .collect();
    serde_json::json!({
        "gateway_module": upgrade.gateway_module,
        "from": named(&upgrade.from),
        "to": named(&upgrade.to),
        "audits": upgrade.rounds,
        "plugins": plugins,
    })
}
