//! The gateway's identity in commits, as data: which commit a checkout is
//! at (the front end asks git) or a binary was built from (its build info's
//! `vcs.*` settings), and the version the go command gives that commit.
//! Users think in commits and Tyk releases, not in "(devel)".

use super::Gateway;
use crate::buildinfo::BuildInfo;

/// What is known of the commit a gateway comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The full commit hash.
    pub commit: Option<String>,
    /// Its time, UTC RFC 3339.
    pub commit_time: Option<String>,
    /// The version the go command gives the commit (a tag on it, or a pseudo-version).
    pub pseudo_version: Option<String>,
    /// Whether the checkout had uncommitted changes.
    pub modified: Option<bool>,
}

impl Identity {
    /// A binary's commit, from the `vcs.*` settings the go command records
    /// when it builds inside a repository. Its tags are not recorded, so the
    /// version is the binary's own (`main.version`), not computed here.
    pub fn of_binary(info: &BuildInfo) -> Self {
        let setting = |key| info.setting(key).filter(|v| !v.is_empty());
        Self {
            commit: setting("vcs.revision").map(str::to_owned),
            commit_time: setting("vcs.time").map(str::to_owned),
            pseudo_version: None,
            modified: setting("vcs.modified").and_then(|v| v.parse().ok()),
        }
    }

    /// A gateway named by a release or commit that was resolved to a
    /// published version.
    pub fn resolved(commit: String, commit_time: Option<String>, version: String) -> Self {
        Self {
            commit: Some(commit),
            commit_time,
            pseudo_version: Some(version),
            modified: None,
        }
    }

    /// `gateway` with what is known here.
    #[must_use]
    pub fn fill(self, gateway: Gateway) -> Gateway {
        Gateway {
            commit: self.commit,
            commit_time: self.commit_time,
            pseudo_version: self.pseudo_version,
            modified: self.modified,
            ..gateway
        }
    }
}
