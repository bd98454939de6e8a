//! The findings that need the module proxy's current view of a module, not
//! just the build: retractions and deprecations (from the module's latest
//! go.mod, as `go list -m -u -retracted` reads them), the nearest version of
//! a module without a go.mod that has one, and other major versions that can
//! coexist with the gateway's.
//!
//! These answers change over time and can be missing (offline, a private
//! module, a 403); a question that cannot be answered adds nothing, as the go
//! command stays silent then too. Questions run concurrently, one per module.

use std::sync::Arc;

use tokio::task::JoinSet;
use tykdeps_resolver::audit::compare::ModuleUse;
use tykdeps_resolver::audit::rules::{self, PluginFiles};
use tykdeps_resolver::audit::{Finding, RuleId};
use tykdeps_resolver::metadata::{self, AuthorNotes, Majors, Nearest};
use tykdeps_resolver::source::ModuleSource;

/// What the proxy says about one module.
#[derive(Default)]
struct Answers {
    notes: Option<AuthorNotes>,
    nearest: Option<Nearest>,
    majors: Option<Majors>,
}

/// Add `retracted` and `deprecated` findings for `required` (the modules
/// the plugin's go.mod requires, as its build uses them) and proxy-backed
/// suggestions to the `no-go-mod` and `version-conflict` findings.
pub(crate) async fn enrich(
    findings: &mut Vec<Finding>,
    required: Vec<ModuleUse>,
    plugin: &PluginFiles<'_>,
    source: &Arc<dyn ModuleSource>,
) {
    let nearest_for: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f.rule == RuleId::NoGoMod)
        .filter_map(|f| Some((f.module.clone()?, f.gateway_version.clone()?)))
        .collect();
    let majors_for: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == RuleId::VersionConflict)
        .filter_map(|f| f.module.clone())
        .collect();
    let mut tasks: JoinSet<(ModuleUse, Answers)> = JoinSet::new();
    for m in required.into_iter().filter(|m| m.replacement.is_none()) {
        let source = Arc::clone(source);
        let nearest_version = nearest_for
            .iter()
            .find(|(p, _)| *p == m.path)
            .map(|(_, v)| v.clone());
        let want_majors = majors_for.contains(&m.path);
        tasks.spawn(async move {
            let answers = ask(source.as_ref(), &m, nearest_version, want_majors).await;
            (m, answers)
        });
    }
    let mut answered = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        answered.push(joined.expect("a proxy query task does not panic"));
    }
    answered.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    for (m, answers) in answered {
        apply(findings, plugin, &m, answers);
    }
}

async fn ask(
    source: &dyn ModuleSource,
    m: &ModuleUse,
    nearest_version: Option<String>,
    want_majors: bool,
) -> Answers {
    let notes = metadata::author_notes(source, &m.path).await.ok();
    let nearest = match nearest_version {
        Some(v) => metadata::nearest_with_go_mod(source, &m.path, &v)
            .await
            .ok(),
        None => None,
    };
    let majors = if want_majors {
        metadata::other_majors(source, &m.path).await.ok()
    } else {
        None
    };
    Answers {
        notes,
        nearest,
        majors,
    }
}

fn apply(findings: &mut Vec<Finding>, plugin: &PluginFiles<'_>, m: &ModuleUse, answers: Answers) {
    if let Some(notes) = &answers.notes {
        if let Some(retraction) = notes.retraction(&m.version) {
            findings.push(rules::retracted(
                plugin,
                m,
                &retraction.message(),
                &notes.latest,
            ));
        }
        if let Some(message) = &notes.deprecated {
            findings.push(rules::deprecated(plugin, m, message));
        }
    }
    let about = |rule: RuleId| {
        move |f: &&mut Finding| f.rule == rule && f.module.as_deref() == Some(m.path.as_str())
    };
    if let Some(found) = answers.nearest.and_then(|n| n.found)
        && let Some(f) = findings.iter_mut().find(about(RuleId::NoGoMod))
    {
        f.suggestions
            .push(rules::move_to_go_mod_version(&found.path, &found.version));
    }
    if let Some(majors) = answers.majors
        && let Some(f) = findings.iter_mut().find(about(RuleId::VersionConflict))
    {
        for major in majors.found {
            if let Ok(latest) = &major.latest
                && major.path != m.path
            {
                f.suggestions
                    .push(rules::other_major(&m.path, &major.path, latest));
            }
        }
    }
}
