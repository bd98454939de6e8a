//! `tykdeps upgrade`'s plan in each format: the moves, what still
//! conflicts and why, then the proving audit's report (SARIF carries the
//! report alone: a plan is no code-scanning result).

use std::fmt::Write as _;
use std::path::Path;

use tykdeps_resolver::audit::Gateway;
use tykdeps_resolver::audit::engine::Upgrade;
use tykdeps_resolver::gomod::unified_diff;

use crate::Format;

/// The plan, then the proving audit's `report` (rendered in `format`), in
/// `format`; `label` names a go.mod in its diff's header. SARIF carries
/// the proving audit's findings only: a plan is no code-scanning result.
pub fn render(
    upgrade: &Upgrade,
    format: Format,
    report: String,
    label: &dyn Fn(&Path) -> String,
) -> String {
    match format {
        Format::Human => format!("{}\n{report}", human(upgrade, label)),
        Format::Markdown => format!("{}\n{report}", markdown(upgrade)),
        Format::Sarif => report,
        Format::Json => {
            let report: serde_json::Value =
                serde_json::from_str(&report).unwrap_or(serde_json::Value::String(report));
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "upgrade": json(upgrade, label),
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

fn human(upgrade: &Upgrade, label: &dyn Fn(&Path) -> String) -> String {
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
            out.push_str(&unified_diff(
                &label(&plugin.go_mod),
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

fn json(upgrade: &Upgrade, label: &dyn Fn(&Path) -> String) -> serde_json::Value {
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
                "diff": unified_diff(&label(&p.go_mod), &p.text, &p.planned),
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
