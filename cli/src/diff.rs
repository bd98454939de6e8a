//! The unified diffs `fix --dry-run`, `pin --dry-run` and `bot-config
//! --check` print, labelled relative to the repository the file is in (the
//! nearest ancestor holding `.git`), else to the current directory.

use std::path::Path;

use tykdeps_resolver::gomod;
use tykdeps_resolver::graph::discover::clean;

/// The diff from `old` to `new`, the contents of `file`.
pub(crate) fn unified(file: &Path, old: &str, new: &str) -> String {
    gomod::unified_diff(&label(file), old, new)
}

/// `file` relative to its repository root, else to the current directory.
pub(crate) fn label(file: &Path) -> String {
    let Ok(file) = std::path::absolute(file).map(|f| clean(&f)) else {
        return file.display().to_string();
    };
    let base = file
        .ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_dir().map(|d| clean(&d)).ok());
    match base {
        Some(base) => tykdeps_render::diff::relative(&file, &base),
        None => file.display().to_string(),
    }
}
