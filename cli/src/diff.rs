//! The unified diffs `fix --dry-run` and `pin --dry-run` print, with
//! git-style headers (`--- a/plugin/go.mod`, `+++ b/plugin/go.mod`) relative
//! to the repository the file is in (the nearest ancestor holding `.git`),
//! else to the current directory, so that `git apply` and `patch -p1` run
//! from there take the diff as printed.

use std::path::{Component, Path};

use tykdeps_resolver::gomod;

/// The diff from `old` to `new`, the contents of `file`.
pub(crate) fn unified(file: &Path, old: &str, new: &str) -> String {
    gomod::unified_diff(&label(file), old, new)
}

/// `file` relative to its repository root, else to the current directory,
/// with `/` separators (and `..` steps when it is outside the latter).
fn label(file: &Path) -> String {
    let Ok(file) = std::path::absolute(file).map(|f| tykdeps_resolver::graph::discover::clean(&f))
    else {
        return file.display().to_string();
    };
    let cwd = std::env::current_dir().map(|d| tykdeps_resolver::graph::discover::clean(&d));
    let base = file
        .ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .or_else(|| cwd.ok());
    let Some(base) = base else {
        return file.display().to_string();
    };
    relative(&file, &base)
}

/// `file` as seen from `base`, both absolute and clean.
fn relative(file: &Path, base: &Path) -> String {
    let common = file
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = base.components().count() - common;
    let steps = std::iter::repeat_n("..".to_owned(), ups).chain(
        file.components().skip(common).filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        }),
    );
    steps.collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn paths_are_relative_with_slashes() {
        let f = Path::new("/home/me/repo/plugin/go.mod");
        assert_eq!(relative(f, Path::new("/home/me/repo")), "plugin/go.mod");
        assert_eq!(
            relative(f, Path::new("/home/me/other")),
            "../repo/plugin/go.mod"
        );
        assert_eq!(relative(f, Path::new("/")), "home/me/repo/plugin/go.mod");
    }
}
