//! Moving a plugin to another gateway (`tykdeps upgrade --to`, `tykdeps fix
//! --to`), decided here once so both commands say and do the same.
//!
//! The plan is built from the engine's own audits against the new gateway,
//! never from a second set of rules: the gateway requirement moves to the
//! new version, then every go.mod edit the audit proves (the pins, mirrored
//! replaces, the go line) is added, round after round, until the audit asks
//! for none. The go.mod files are changed only in memory, overlaid on the
//! host's files, so the last audit is the proof: the verdict of exactly the
//! files `fix --to` would write. The current gateway is audited too, so the
//! plan can say which shared modules gain or lose a go.mod on the way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Audit, AuditError, Host, Request, Sources, run};
use crate::audit::{Finding, Gateway, Identity, PluginReport, RuleId, Severity};
use crate::gomod::{self, Edit};
use crate::graph::discover::{Files, Project};
use crate::graph::driver::Progress;
use crate::source::metadata_cache::KeptAnswers;
use crate::source::{BoxFuture, ModuleSource};
use crate::version::release::GatewayRef;

/// Audits run after the first before the plan is taken as it stands: each
/// round adds only edits the previous audit proved, and the lab's plans
/// settle in two.
const MAX_ROUNDS: usize = 4;

/// Suggestion kinds that are another module rather than a go.mod edit of
/// this one: listed as alternatives, never applied.
const ALTERNATIVE_KINDS: [&str; 2] = ["use-other-major", "use-version-with-go-mod"];

/// The plan of moving every audited plugin to the new gateway, and its proof.
#[derive(Debug)]
pub struct Upgrade {
    /// The gateway's module path.
    pub gateway_module: String,
    /// The gateway the plugins are on now, as its audit reports it.
    pub from: Gateway,
    /// The gateway they move to, as the proving audit reports it.
    pub to: Gateway,
    /// One plan per plugin, in the order of the proven report's plugins.
    pub plugins: Vec<PluginUpgrade>,
    /// The audit against the new gateway of the go.mod files as the plan
    /// leaves them: its verdict is the upgrade's.
    pub proven: Audit,
    /// How many audits against the new gateway it took.
    pub rounds: usize,
}

/// What one plugin's go.mod must change.
#[derive(Debug, Clone)]
pub struct PluginUpgrade {
    /// The plugin's module path.
    pub module: Option<String>,
    /// Its go.mod.
    pub go_mod: PathBuf,
    /// The go.mod as it is.
    pub text: String,
    /// The go.mod as the plan leaves it (the text the proof audited).
    pub planned: String,
    /// The edits, in the order they were decided (the gateway requirement first).
    pub edits: Vec<Edit>,
    /// The requirements that move, each saying why.
    pub moves: Vec<Move>,
    /// Modules both link whose version the gateway itself moves (from the
    /// two audits' findings), each with what the new audit says of it.
    pub gateway_moves: Vec<Move>,
    /// The errors the proven audit still reports: what no go.mod edit ends.
    pub conflicts: Vec<Finding>,
    /// Fixes that are not go.mod edits, to do by hand.
    pub by_hand: Vec<String>,
    /// Shared modules that have a go.mod on one gateway and not on the other.
    pub go_mod_changes: Vec<GoModChange>,
    /// Other modules that would end a conflict (`/vN`, a version with a go.mod).
    pub alternatives: Vec<String>,
}

/// One requirement of the plugin's go.mod that moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The module.
    pub module: String,
    /// What the go.mod requires now (none: a new line).
    pub from: Option<String>,
    /// What it will require.
    pub to: String,
    /// Why: the finding that asked for it, with its requirement chain.
    pub why: String,
}

/// A module whose `no-go-mod` finding goes or comes between the two gateways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoModChange {
    /// The module.
    pub module: String,
    /// Whether the finding went or came.
    pub kind: GoModChangeKind,
    /// What the rule said, on the gateway where the module has no go.mod.
    pub message: String,
}

/// Whether a module's `no-go-mod` finding goes or comes with the move. The
/// findings alone cannot tell a module that got a go.mod from one the
/// gateways stopped sharing, so the words claim neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoModChangeKind {
    /// Flagged with the old gateway, not with the new one.
    Resolved,
    /// Flagged with the new gateway, not with the old one.
    Raised,
}

impl GoModChangeKind {
    /// The change in a few words, after the module's name.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::Resolved => {
                "is no longer a no-go-mod case (with the new gateway it has a go.mod or is not shared)"
            }
            Self::Raised => {
                "becomes a no-go-mod case (shared without a go.mod with the new gateway)"
            }
        }
    }

    /// The change's stable name in reports.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Resolved => "resolved",
            Self::Raised => "raised",
        }
    }
}

/// Plan moving the plugins `to` audits from the gateway `from` audits to
/// `to`'s gateway, and prove the plan by auditing again with it applied in
/// memory. Nothing is written.
///
/// # Errors
/// As [`run`]: inputs that cannot be read or are wrong for the request, or
/// a planned edit that cannot be applied.
pub async fn upgrade(from: &Request, to: &Request, host: &dyn Host) -> Result<Upgrade, AuditError> {
    let before = run(from, host).await?;
    let first = run(to, host).await?;
    let again = Request {
        refresh: false,
        ..to.clone()
    };
    let from_gateway = before.report.gateway.clone();
    // The module version the requirement moves to; a checkout has none.
    let to_version = first.report.gateway.version.clone();
    let mut plans = Vec::new();
    for go_mod in &first.plugin_go_mods {
        let text = read(host, go_mod)?;
        let edits = gateway_move(&to.gateway_module, go_mod, &text, to_version.as_deref())?
            .into_iter()
            .collect();
        plans.push(Plan {
            go_mod: go_mod.clone(),
            text,
            edits,
            whys: BTreeMap::new(),
        });
    }
    let mut seen: Vec<Finding> = Vec::new();
    let mut audit = if plans.iter().all(|p| p.edits.is_empty()) {
        first
    } else {
        run(&again, &Overlaid::new(host, &plans)?).await?
    };
    let mut rounds = 1;
    loop {
        seen.extend(audit.report.plugins.iter().flat_map(|p| p.findings.clone()));
        let grown = rounds < MAX_ROUNDS && grow(&mut plans, &audit);
        if !grown {
            break;
        }
        rounds += 1;
        audit = run(&again, &Overlaid::new(host, &plans)?).await?;
    }
    let plugins = audit
        .report
        .plugins
        .iter()
        .zip(&audit.plugin_go_mods)
        .filter_map(|(report, go_mod)| {
            let plan = plans.iter().find(|p| &p.go_mod == go_mod)?;
            Some(plan.finish(report, &before, &seen, &to.gateway_module))
        })
        .collect::<Result<_, _>>()?;
    Ok(Upgrade {
        gateway_module: to.gateway_module.clone(),
        from: from_gateway,
        to: audit.report.gateway.clone(),
        plugins,
        proven: audit,
        rounds,
    })
}

/// One plugin's plan while it is decided.
struct Plan {
    go_mod: PathBuf,
    text: String,
    edits: Vec<Edit>,
    /// Why each module's requirement moves, from the finding that asked.
    whys: BTreeMap<String, String>,
}

impl Plan {
    /// The go.mod with the edits applied.
    fn planned(&self) -> Result<String, AuditError> {
        let name = self.go_mod.display().to_string();
        gomod::apply(&name, &self.text, &self.edits)
            .map_err(|e| AuditError::Usage(format!("cannot plan the upgrade of {name}: {e}")))
    }

    /// Add `edit`; a later requirement of one module replaces an earlier one.
    fn add(&mut self, edit: &Edit) -> bool {
        if self.edits.contains(edit) {
            return false;
        }
        if let Edit::SetRequire { path, .. } = edit {
            self.edits
                .retain(|e| !matches!(e, Edit::SetRequire { path: p, .. } if p == path));
        }
        self.edits.push(edit.clone());
        true
    }

    /// The plan as reported, against the proven audit's `report`.
    fn finish(
        &self,
        report: &PluginReport,
        before: &Audit,
        seen: &[Finding],
        gateway_module: &str,
    ) -> Result<PluginUpgrade, AuditError> {
        let name = self.go_mod.display().to_string();
        let now = gomod::parse_mod(&name, &self.text, gomod::Mode::Lax)
            .map_err(crate::graph::discover::InputError::from)?;
        let moves = self
            .edits
            .iter()
            .filter_map(|e| match e {
                Edit::SetRequire { path, version, .. } => Some(Move {
                    module: path.clone(),
                    from: now
                        .require
                        .iter()
                        .find(|r| &r.path == path)
                        .map(|r| r.version.clone()),
                    to: version.clone(),
                    why: self.whys.get(path).cloned().unwrap_or_else(|| {
                        if path == gateway_module {
                            "the plugin builds against the gateway release it requires".to_owned()
                        } else {
                            String::new()
                        }
                    }),
                }),
                _ => None,
            })
            .collect();
        let earlier = before
            .report
            .plugins
            .iter()
            .find(|p| p.module == report.module);
        let mut alternatives: Vec<String> = Vec::new();
        for s in seen
            .iter()
            .flat_map(|f| f.suggestions.iter())
            .filter(|s| ALTERNATIVE_KINDS.contains(&s.kind))
        {
            if !alternatives.contains(&s.description) {
                alternatives.push(s.description.clone());
            }
        }
        Ok(PluginUpgrade {
            module: report.module.clone(),
            go_mod: self.go_mod.clone(),
            text: self.text.clone(),
            planned: self.planned()?,
            edits: self.edits.clone(),
            moves,
            gateway_moves: gateway_moves(earlier, report),
            conflicts: report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .cloned()
                .collect(),
            by_hand: report.manual_fixes(),
            go_mod_changes: go_mod_changes(earlier, report),
            alternatives,
        })
    }
}

/// Add the edits `audit` proves to each plugin's plan; whether any was new.
fn grow(plans: &mut [Plan], audit: &Audit) -> bool {
    let mut grown = false;
    for (report, go_mod) in audit.report.plugins.iter().zip(&audit.plugin_go_mods) {
        let Some(plan) = plans.iter_mut().find(|p| &p.go_mod == go_mod) else {
            continue;
        };
        for edit in report.fix_edits() {
            if plan.add(&edit) {
                grown = true;
                if let Edit::SetRequire { path, .. } = &edit
                    && let Some(f) = report
                        .findings
                        .iter()
                        .find(|f| f.module.as_deref() == Some(path))
                {
                    plan.whys
                        .insert(path.clone(), format!("{}: {}", f.message, f.why));
                }
            }
        }
    }
    grown
}

/// The gateway requirement's move: the plugin's go.mod requires the
/// gateway module at another version than the new gateway's.
fn gateway_move(
    gateway_module: &str,
    go_mod: &Path,
    text: &str,
    to: Option<&str>,
) -> Result<Option<Edit>, AuditError> {
    let Some(to) = to else {
        return Ok(None);
    };
    let parsed = gomod::parse_mod(&go_mod.display().to_string(), text, gomod::Mode::Lax)
        .map_err(crate::graph::discover::InputError::from)?;
    Ok(parsed
        .require
        .iter()
        .find(|r| r.path == gateway_module)
        .filter(|r| r.version != to)
        .map(|_| Edit::SetRequire {
            path: gateway_module.to_owned(),
            version: to.to_owned(),
            indirect: None,
        }))
}

/// Modules the plugin shares with both gateways whose gateway version
/// differs between the old gateway's audit (`earlier`) and the proven one.
fn gateway_moves(earlier: Option<&PluginReport>, proven: &PluginReport) -> Vec<Move> {
    let versions = |report: &PluginReport| -> BTreeMap<String, (String, String)> {
        report
            .findings
            .iter()
            .filter_map(|f| {
                let version = f.gateway_version.clone()?;
                Some((f.module.clone()?, (version, f.message.clone())))
            })
            .collect()
    };
    let old = earlier.map(versions).unwrap_or_default();
    versions(proven)
        .into_iter()
        .filter_map(|(module, (to, why))| {
            let (from, _) = old.get(&module)?;
            (from != &to).then(|| Move {
                module,
                from: Some(from.clone()),
                to,
                why,
            })
        })
        .collect()
}

/// Modules whose `no-go-mod` finding appears or goes between the old
/// gateway's audit (`earlier`) and the proven one.
fn go_mod_changes(earlier: Option<&PluginReport>, proven: &PluginReport) -> Vec<GoModChange> {
    let without = |report: &PluginReport| -> BTreeMap<String, String> {
        report
            .findings
            .iter()
            .filter(|f| f.rule == RuleId::NoGoMod)
            .filter_map(|f| Some((f.module.clone()?, f.message.clone())))
            .collect()
    };
    let old = earlier.map(without).unwrap_or_default();
    let new = without(proven);
    let only = |side: &BTreeMap<String, String>, other: &BTreeMap<String, String>, kind| {
        side.iter()
            .filter(|(m, _)| !other.contains_key(*m))
            .map(|(m, message)| GoModChange {
                module: m.clone(),
                kind,
                message: message.clone(),
            })
            .collect::<Vec<_>>()
    };
    let mut changes = only(&old, &new, GoModChangeKind::Resolved);
    changes.extend(only(&new, &old, GoModChangeKind::Raised));
    changes
}

fn read(host: &dyn Host, go_mod: &Path) -> Result<String, AuditError> {
    let bytes = host
        .files()
        .read(go_mod)
        .map_err(|e| AuditError::Usage(format!("cannot read {}: {e}", go_mod.display())))?;
    String::from_utf8(bytes)
        .map_err(|e| AuditError::Usage(format!("cannot read {}: {e}", go_mod.display())))
}

/// The host with the planned go.mod files in place of the real ones.
struct Overlaid<'a> {
    host: &'a dyn Host,
    files: Overlay<'a>,
}

impl<'a> Overlaid<'a> {
    fn new(host: &'a dyn Host, plans: &[Plan]) -> Result<Self, AuditError> {
        let planned = plans
            .iter()
            .map(|p| Ok((p.go_mod.clone(), p.planned()?.into_bytes())))
            .collect::<Result<_, AuditError>>()?;
        Ok(Overlaid {
            host,
            files: Overlay {
                under: host.files(),
                planned,
            },
        })
    }
}

/// Files read through the host, but the planned go.mod files from memory.
struct Overlay<'a> {
    under: &'a dyn Files,
    planned: BTreeMap<PathBuf, Vec<u8>>,
}

impl Files for Overlay<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.planned.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.under.read(path),
        }
    }
    fn is_file(&self, path: &Path) -> bool {
        self.planned.contains_key(path) || self.under.is_file(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.under.is_dir(path)
    }
}

impl Host for Overlaid<'_> {
    fn files(&self) -> &dyn Files {
        &self.files
    }
    fn open_sources(
        &self,
        project: &Project,
        kept: Option<&Arc<KeptAnswers>>,
    ) -> Result<Sources, AuditError> {
        self.host.open_sources(project, kept)
    }
    fn pending(&self) -> Vec<String> {
        self.host.pending()
    }
    fn progress(&self) -> &dyn Progress {
        self.host.progress()
    }
    fn checkout(&self, dir: &Path, module: &str) -> Identity {
        self.host.checkout(dir, module)
    }
    fn resolve_gateway<'a>(
        &'a self,
        given: &'a str,
        reference: &'a GatewayRef,
        module: &'a str,
        repo: &'a str,
        source: &'a dyn ModuleSource,
    ) -> BoxFuture<'a, Result<super::ResolvedGateway, AuditError>> {
        self.host
            .resolve_gateway(given, reference, module, repo, source)
    }
    fn now(&self) -> u64 {
        self.host.now()
    }
}

#[cfg(test)]
mod tests {
    use super::{GoModChangeKind, Plan, go_mod_changes};
    use crate::audit::{Finding, PluginReport, RuleId, Severity, Verdict};
    use crate::gomod::Edit;

    fn require(path: &str, version: &str) -> Edit {
        Edit::SetRequire {
            path: path.to_owned(),
            version: version.to_owned(),
            indirect: None,
        }
    }

    #[test]
    fn a_later_requirement_of_a_module_replaces_the_earlier_one() {
        let mut plan = Plan {
            go_mod: "go.mod".into(),
            text: "module p\n\ngo 1.21\n\nrequire a.example/x v1.0.0\n".to_owned(),
            edits: vec![
                require("gw.example/g", "v1.1.0"),
                require("a.example/x", "v1.2.0"),
            ],
            whys: std::collections::BTreeMap::new(),
        };
        assert!(
            !plan.add(&require("a.example/x", "v1.2.0")),
            "the same edit is no news"
        );
        assert!(plan.add(&require("a.example/x", "v1.3.0")));
        assert_eq!(
            plan.edits,
            [
                require("gw.example/g", "v1.1.0"),
                require("a.example/x", "v1.3.0")
            ]
        );
        let planned = plan.planned().expect("the edits apply");
        assert!(
            planned.contains("a.example/x v1.3.0")
                && planned.contains("gw.example/g v1.1.0")
                && !planned.contains("v1.0.0"),
            "{planned}"
        );
    }

    fn report(no_go_mod: &[&str]) -> PluginReport {
        PluginReport {
            module: Some("p".to_owned()),
            dir: ".".to_owned(),
            verdict: Verdict::Loads,
            loader_message: None,
            findings: no_go_mod
                .iter()
                .map(|m| Finding {
                    rule: RuleId::NoGoMod,
                    severity: Severity::Note,
                    module: Some((*m).to_owned()),
                    gateway_version: None,
                    plugin_version: None,
                    packages: Vec::new(),
                    message: format!("{m} has no go.mod"),
                    why: String::new(),
                    suggestions: Vec::new(),
                    location: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_no_go_mod_finding_goes_or_comes_with_the_move() {
        let changes = go_mod_changes(
            Some(&report(&["old.example/a", "both.example/b"])),
            &report(&["both.example/b", "new.example/c"]),
        );
        let said: Vec<(&str, GoModChangeKind)> = changes
            .iter()
            .map(|c| (c.module.as_str(), c.kind))
            .collect();
        assert_eq!(
            said,
            [
                ("old.example/a", GoModChangeKind::Resolved),
                ("new.example/c", GoModChangeKind::Raised),
            ]
        );
    }
}
