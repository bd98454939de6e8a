//! A Tyk release (`v5.3.6`, `release-5.3.6`) or commit resolved to a
//! version of the gateway module, as `--gateway RELEASE` and `tykdeps
//! gateway resolve` take it.
//!
//! Tyk's release tags are not versions of its module (a `v5` tag on a path
//! without `/v5`), so a release is mapped to its commit through the
//! repository's tags (`git ls-remote --tags`), and the commit to a version
//! by the module proxy's query endpoint (`<module>/@v/<commit>.info`), else,
//! for a repository on this machine, computed from a clone's tags and
//! commit time as the go command would. Every way tried is named when none
//! answers.

use std::fmt::Write as _;

use serde::Serialize;

use super::ModuleSource;
use super::git;
use crate::audit::Identity;
use crate::version::module::canonical_version;
use crate::version::release::{
    GatewayRef, commits_with_prefix, info_query, parse_ls_remote, tag_commit, tags_at,
};

/// A release or commit resolved to a module version.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    /// What was asked, as given.
    pub reference: String,
    /// The release tags on the commit (those `git ls-remote` or the clone listed).
    pub releases: Vec<String>,
    /// The commit: the full hash when known, else as given.
    pub commit: String,
    /// The commit time (RFC 3339), when the answer carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_time: Option<String>,
    /// The gateway module path.
    pub module: String,
    /// Its version for the commit.
    pub version: String,
    /// Which way answered: `module proxy` or `git clone`.
    pub via: String,
}

impl Resolved {
    /// The identity an audit reports for the gateway.
    pub fn identity(&self) -> Identity {
        Identity::resolved(
            self.commit.clone(),
            self.commit_time.clone(),
            self.version.clone(),
        )
    }
}

/// No way tried named a version: each way and why it failed, in the message.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code(tykdeps::gateway))]
pub struct Unresolved(String);

/// Resolve `reference` (the text `given`) to a version of `module`, whose
/// repository is at `repo`: the repository's tags name the commit, the
/// module proxy (through `source`) or a local clone names its version.
/// Each way tried and why it failed, when none answers.
pub async fn resolve(
    given: &str,
    reference: &GatewayRef,
    module: &str,
    repo: &str,
    source: &dyn ModuleSource,
) -> Result<Resolved, Unresolved> {
    let mut tried: Vec<String> = Vec::new();
    let tags = match git::ls_remote_tags(repo) {
        Ok(text) => Some(parse_ls_remote(&text)),
        Err(e) => {
            tried.push(format!(
                "listing the tags of {repo} (git ls-remote --tags): {e}"
            ));
            None
        }
    };
    let commit = match reference {
        GatewayRef::Release { tag } => {
            let Some(commit) = tags.as_deref().and_then(|t| tag_commit(t, tag)) else {
                if tags.is_some() {
                    tried.push(format!(
                        "listing the tags of {repo} (git ls-remote --tags): it has no tag {tag}"
                    ));
                }
                tried.push(format!(
                    "asking the module proxy: not tried, since {tag} is not a version of {module} and its commit is unknown"
                ));
                return Err(nothing_answered(given, reference, module, &tried));
            };
            commit.to_owned()
        }
        GatewayRef::Commit { hash } => {
            match tags.as_deref().map(|t| commits_with_prefix(t, hash)) {
                Some(found) if found.len() == 1 => found[0].to_owned(),
                _ => hash.clone(),
            }
        }
    };
    let releases = |commit: &str| -> Vec<String> {
        tags.as_deref()
            .map(|t| tags_at(t, commit).into_iter().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let query = info_query(module, &commit).unwrap_or_else(|e| e);
    match source.info(module, &commit).await {
        Ok(info) if canonical_version(&info.version).as_deref() == Some(info.version.as_str()) => {
            return Ok(Resolved {
                reference: given.to_owned(),
                releases: releases(&commit),
                commit,
                commit_time: info.time,
                module: module.to_owned(),
                version: info.version,
                via: format!("module proxy ({query})"),
            });
        }
        Ok(info) => tried.push(format!(
            "asking the module proxy for {query}: it answered {:?}, not a canonical version",
            info.version
        )),
        Err(e) => tried.push(format!("asking the module proxy for {query}: {e}")),
    }
    if git::is_local(repo) {
        match git::commit_in_clone(repo, &commit, module) {
            Ok(facts) => {
                return Ok(Resolved {
                    reference: given.to_owned(),
                    releases: facts.tags,
                    commit: facts.hash,
                    commit_time: Some(facts.time),
                    module: module.to_owned(),
                    version: facts.version,
                    via: format!("git clone of {repo} (version computed from its tags)"),
                });
            }
            Err(e) => tried.push(format!("computing the version from a clone of {repo}: {e}")),
        }
    } else {
        tried.push(format!(
            "computing the version from git: not tried, {repo} is not a repository on this machine (clone it and pass --gateway-repo file://DIR, or check out the commit and pass --gateway DIR)"
        ));
    }
    Err(nothing_answered(given, reference, module, &tried))
}

fn nothing_answered(
    given: &str,
    reference: &GatewayRef,
    module: &str,
    tried: &[String],
) -> Unresolved {
    let mut message =
        format!("cannot resolve {given:?} ({reference}) to a version of {module}; tried:");
    for way in tried {
        let _ = write!(message, "\n  - {way}");
    }
    Unresolved(message)
}
