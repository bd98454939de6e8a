//! `tykdeps cache clean`'s account of what it removed.

use std::fmt::Write as _;
use std::path::Path;

use tykdeps_resolver::source::cache_clean::Removed;

/// What removing `dir` removed: each store's files and bytes, or that
/// there was nothing (`None`).
pub fn cleaned(dir: &Path, removed: Option<&[Removed]>) -> String {
    let Some(stores) = removed else {
        return format!("nothing to remove: {} does not exist\n", dir.display());
    };
    let mut text = format!("removed {}\n", dir.display());
    for store in stores {
        let s = if store.files == 1 { "" } else { "s" };
        let _ = writeln!(
            text,
            "  {}: {} file{s}, {} bytes",
            store.name, store.files, store.bytes
        );
    }
    text
}
