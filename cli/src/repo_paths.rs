//! Where an audit's repository is, so reports that leave the machine name
//! their files relative to it (`tykdeps_render::repo_paths`).

use std::path::{Path, PathBuf};

pub(crate) use tykdeps_render::repo_paths::relative;

/// The repository root for an audit of `dir`: git's top level of `dir`,
/// else `GITHUB_WORKSPACE`; `None` outside both (paths stay as they are).
pub(crate) fn root(dir: &Path) -> Option<PathBuf> {
    crate::vcs::toplevel(dir)
        .or_else(|| crate::settings::github().workspace)
        .and_then(|root| root.canonicalize().ok())
}
