//! The gateway's identity in commits: which commit a checkout is at (asking
//! git) or a binary was built from (its build info's `vcs.*` settings), and
//! the version the go command would give that commit.
//!
//! Users think in commits and Tyk releases, not in "(devel)". This is the
//! only place tykdeps runs git; the library only computes the version
//! (`version::commit`). Anything git cannot say (no git, not a repository)
//! is left unknown: identity is never a reason for an audit to fail.

use std::path::Path;
use std::process::Command;

use tykdeps_resolver::audit::Gateway;
use tykdeps_resolver::buildinfo::BuildInfo;
use tykdeps_resolver::version::commit::{Commit, commit_version};
use tykdeps_resolver::version::pseudo::Timestamp;

/// What is known of the commit a gateway comes from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Identity {
    commit: Option<String>,
    commit_time: Option<String>,
    pseudo_version: Option<String>,
    modified: Option<bool>,
}

impl Identity {
    /// The checkout `dir` of module `module`, as git sees it.
    pub(crate) fn of_checkout(dir: &Path, module: &str) -> Self {
        let Some(commit) = git(dir, &["rev-parse", "--verify", "HEAD"]) else {
            return Self::default();
        };
        let time = git(
            dir,
            &[
                "-c",
                "log.showsignature=false",
                "log",
                "-1",
                "--date=format-local:%Y-%m-%dT%H:%M:%SZ",
                "--format=%cd",
                "HEAD",
            ],
        )
        .and_then(|t| Timestamp::parse_rfc3339_utc(&t));
        let modified = git(dir, &["status", "--porcelain"]).map(|s| !s.is_empty());
        // Tags name versions of the module at the repository's root only.
        let at_root = git(dir, &["rev-parse", "--show-prefix"]).is_some_and(|p| p.is_empty());
        let tag_list = |args: &[&str]| {
            git(dir, args).map(|out| out.lines().map(str::to_owned).collect::<Vec<_>>())
        };
        let pseudo_version = match (
            time,
            at_root,
            tag_list(&["tag", "--points-at", "HEAD"]),
            tag_list(&["tag", "--merged", "HEAD"]),
        ) {
            (Some(time), true, Some(tags), Some(reachable_tags)) => commit_version(
                module,
                &Commit {
                    hash: &commit,
                    time,
                    tags: &tags,
                    reachable_tags: &reachable_tags,
                },
            ),
            _ => None,
        };
        Self {
            commit: Some(commit),
            commit_time: time.map(|t| t.to_string()),
            pseudo_version,
            modified,
        }
    }

    /// A binary's commit, from the `vcs.*` settings the go command records
    /// when it builds inside a repository. Its tags are not recorded, so the
    /// version is the binary's own (`main.version`), not computed here.
    pub(crate) fn of_binary(info: &BuildInfo) -> Self {
        let setting = |key| info.setting(key).filter(|v| !v.is_empty());
        Self {
            commit: setting("vcs.revision").map(str::to_owned),
            commit_time: setting("vcs.time").map(str::to_owned),
            pseudo_version: None,
            modified: setting("vcs.modified").and_then(|v| v.parse().ok()),
        }
    }

    /// `gateway` with what is known here.
    pub(crate) fn fill(self, gateway: Gateway) -> Gateway {
        Gateway {
            commit: self.commit,
            commit_time: self.commit_time,
            pseudo_version: self.pseudo_version,
            modified: self.modified,
            ..gateway
        }
    }
}

/// `git -C dir args...` in UTC: its trimmed output, or `None` if git is
/// missing or fails (not a repository, no commits).
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("TZ", "UTC")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_owned()
    })
}
