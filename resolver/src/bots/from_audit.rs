//! The bots' rules of one audit: the gateway it was against, and the
//! ceilings of every plugin, together (a Renovate preset serves the
//! repository) or by the directory Dependabot names (which reads the disk,
//! to place each plugin under the repository root).

use std::path::{Path, PathBuf};

use super::Ceiling;
use crate::audit::engine::Audit;

/// `module@version` of the gateway audited against.
pub fn gateway_label(done: &Audit) -> String {
    let gateway = &done.report.gateway;
    let module = gateway.module.as_deref().unwrap_or("the gateway");
    match gateway.shown_version() {
        Some(version) => format!("{module}@{version}"),
        None => module.to_owned(),
    }
}

/// Every plugin's ceilings as one list (a preset serves the repository).
pub fn all_ceilings(done: &Audit) -> Vec<Ceiling> {
    done.ceilings.iter().flatten().cloned().collect()
}

/// Each plugin's ceilings under its directory as Dependabot names it:
/// from the repository root, with a leading `/`. Outside a repository (rules
/// written before `git init`) the directory audited stands for the root, so
/// a workspace's plugin in `plugin/` is still `/plugin`, not `/`. `root` is
/// the repository's root, when the front end found one.
pub fn by_directory(
    done: &Audit,
    root: Option<&Path>,
    start: &Path,
) -> Vec<(String, Vec<Ceiling>)> {
    let root = root
        .map(Path::to_path_buf)
        .or_else(|| start.canonicalize().ok());
    done.report
        .plugins
        .iter()
        .zip(&done.ceilings)
        .map(|(plugin, ceilings)| {
            let dir = PathBuf::from(&plugin.dir);
            let relative = root
                .as_deref()
                .and_then(|root| {
                    dir.canonicalize()
                        .ok()?
                        .strip_prefix(root)
                        .ok()
                        .map(Path::to_path_buf)
                })
                .map_or_else(|| ".".to_owned(), |p| p.display().to_string());
            let directory = match relative.as_str() {
                "" | "." => "/".to_owned(),
                rest => format!("/{rest}"),
            };
            (directory, ceilings.clone())
        })
        .collect()
}
