//! Removing what tykdeps keeps between runs (`tykdeps cache clean`): the
//! whole `$GOMODCACHE/cache/tykdeps` directory, with a tally of what each
//! store in it held. Module files in the go command's own layout
//! (`cache/download`) are the go command's and are never touched here.

use std::path::Path;

/// One store that was removed: its name, files and bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Removed {
    /// The store's directory (or file) name.
    pub name: String,
    /// Files below it.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
}

/// Remove `dir`: what each store in it held, sorted by name, or `None` when
/// it does not exist.
///
/// # Errors
/// What listing or removing it gives.
pub fn clean(dir: &Path) -> std::io::Result<Option<Vec<Removed>>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut stores: Vec<Removed> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let (files, bytes) = tally(&e.path());
            let name = e.file_name().to_string_lossy().into_owned();
            Removed { name, files, bytes }
        })
        .collect();
    stores.sort();
    std::fs::remove_dir_all(dir)?;
    Ok(Some(stores))
}

/// Files and bytes below `path` (a file counts itself).
fn tally(path: &Path) -> (u64, u64) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return (0, 0);
    };
    if !meta.is_dir() {
        return (1, meta.len());
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| tally(&e.path()))
        .fold((0, 0), |(f, b), (f2, b2)| (f + f2, b + b2))
}
