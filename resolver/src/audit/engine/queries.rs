//! The findings that need the module proxy's current view of a module, not
//! just the build: retractions and deprecations (from the module's latest
//! go.mod, as `go list -m -u -retracted` reads them), the nearest version of
//! a module without a go.mod that has one, and other major versions that can
//! coexist with the gateway's.
//!
//! These answers change over time, so they are kept only for a time to live
//! ([`MetadataSource`]). They can be missing: a 404 or 410 adds nothing, as
//! the go command stays silent then too; when the proxy could not be asked
//! (offline, a private module, a network error) and nothing was kept, the
//! rules are skipped for that module and one note-level `fetch-failed`
//! finding says which and why, as it does when an old kept answer had to
//! stand in. Questions run concurrently, one per module.

use std::sync::Arc;

use crate::audit::compare::ModuleUse;
use crate::audit::rules::{self, PluginFiles};
use crate::audit::{Finding, RuleId, Severity};
use crate::metadata::{self, AuthorNotes, Majors, MetadataError, Nearest};
use crate::source::metadata_cache::{MetadataSource, StaleUse};
use crate::source::{FetchErrorKind, ModuleSource};
use tokio::task::JoinSet;

/// What the proxy says about one module.
#[derive(Default)]
struct Answers {
    notes: Option<AuthorNotes>,
    nearest: Option<Nearest>,
    majors: Option<Majors>,
    /// Why a question went unanswered when the proxy could not be asked.
    unasked: Option<String>,
}

/// Add `retracted` and `deprecated` findings for `required` (the modules
/// the plugin's go.mod requires, as its build uses them) and proxy-backed
/// suggestions to the `no-go-mod` and `version-conflict` findings.
pub(super) async fn enrich(
    findings: &mut Vec<Finding>,
    required: Vec<ModuleUse>,
    plugin: &PluginFiles<'_>,
    source: &Arc<MetadataSource>,
) {
    let nearest_for: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f.rule == RuleId::NoGoMod)
        .filter_map(|f| Some((f.module.clone()?, f.gateway_version.clone()?)))
        .collect();
    let majors_for: Vec<String> = findings
        .iter()
        .filter(|f| f.rule.is_version_conflict())
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
    let mut unasked = Vec::new();
    for (m, mut answers) in answered {
        if let Some(why) = answers.unasked.take() {
            unasked.push((m.path.clone(), why));
        }
        apply(findings, plugin, &m, answers);
    }
    let stale = source.kept().take_stale();
    if let Some(note) = unanswered_note(&unasked, &stale, source.kept().freshness().now) {
        findings.push(note);
    }
}

/// Why a failed question went unanswered, if the proxy could not be asked
/// (a 404 or 410 is an answer, and other errors are the go command's too).
fn unasked<T>(answer: &Result<T, MetadataError>) -> Option<String> {
    match answer {
        Err(MetadataError::Fetch(e))
            if !matches!(e.kind, FetchErrorKind::NotFound | FetchErrorKind::Gone) =>
        {
            Some(e.detail.clone())
        }
        _ => None,
    }
}

/// The one note saying which modules' metadata rules were skipped, and
/// which were judged from answers older than the time to live.
fn unanswered_note(unasked: &[(String, String)], stale: &[StaleUse], now: u64) -> Option<Finding> {
    let mut parts = Vec::new();
    if !unasked.is_empty() {
        parts.push(format!(
            "the module proxy could not be asked about {}, so the retracted and deprecated rules were skipped for them (and the proxy's suggestions for no-go-mod and version-conflict): {}",
            count(unasked.len()),
            grouped(unasked.iter().map(|(m, why)| (m.as_str(), why.as_str())))
        ));
    }
    if !stale.is_empty() {
        let oldest = stale.iter().map(|s| s.fetched).min().unwrap_or(now);
        parts.push(format!(
            "answers kept from up to {} ago, older than the metadata time to live, stand in for {} the proxy could not be asked about: {}",
            age(now.saturating_sub(oldest)),
            count(stale.len()),
            grouped(stale.iter().map(|s| (s.path.as_str(), s.error.detail.as_str())))
        ));
    }
    if parts.is_empty() {
        return None;
    }
    Some(Finding {
        rule: RuleId::FetchFailed,
        severity: Severity::Note,
        module: None,
        gateway_version: None,
        plugin_version: None,
        packages: Vec::new(),
        message: parts.join("; "),
        why: "retractions, deprecations and other versions are known only to the module proxy; the build itself was checked in full".to_owned(),
        suggestions: Vec::new(),
        location: None,
    })
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 module".to_owned()
    } else {
        format!("{n} modules")
    }
}

/// `why: a, b; why2: c`, modules grouped by the reason, in first-seen order.
fn grouped<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (module, why) in items {
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, modules)) => modules.push(module),
            None => groups.push((why, vec![module])),
        }
    }
    groups
        .iter()
        .map(|(why, modules)| format!("{} ({why})", modules.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An age in the largest whole unit: `40s`, `5m`, `3h`, `2d`.
fn age(seconds: u64) -> String {
    match seconds {
        s if s >= 86_400 => format!("{}d", s / 86_400),
        s if s >= 3600 => format!("{}h", s / 3600),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

async fn ask(
    source: &dyn ModuleSource,
    m: &ModuleUse,
    nearest_version: Option<String>,
    want_majors: bool,
) -> Answers {
    let notes = metadata::author_notes(source, &m.path).await;
    let nearest = match nearest_version {
        Some(v) => Some(metadata::nearest_with_go_mod(source, &m.path, &v).await),
        None => None,
    };
    let majors = if want_majors {
        Some(metadata::other_majors(source, &m.path).await)
    } else {
        None
    };
    let unasked = unasked(&notes)
        .or_else(|| nearest.as_ref().and_then(unasked))
        .or_else(|| majors.as_ref().and_then(unasked));
    Answers {
        notes: notes.ok(),
        nearest: nearest.and_then(Result::ok),
        majors: majors.and_then(Result::ok),
        unasked,
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
        && let Some(f) = findings
            .iter_mut()
            .find(|f| f.rule.is_version_conflict() && f.module.as_deref() == Some(m.path.as_str()))
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
