//! The labels of the unified diffs `fix --dry-run`, `pin --dry-run` and
//! `upgrade` print: git-style headers (`--- a/plugin/go.mod`) relative to
//! the repository the file is in, so that `git apply` and `patch -p1` run
//! from there take the diff as printed. (The base directory is found by the
//! front end; this only words the path.)

use std::path::{Component, Path};

/// `file` as seen from `base`, both absolute and clean, with `/` separators
/// (and `..` steps when `file` is outside `base`): a diff header's label.
pub fn relative(file: &Path, base: &Path) -> String {
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
