//! Where module sources are read from. A module's files come from a local
//! directory (a checkout, or an extracted module cache directory
//! `$GOMODCACHE/<escaped path>@<escaped version>/`); the trait keeps the
//! resolver independent of that, so other layouts can be added.

use std::path::PathBuf;

/// Read access to one module's (or GOROOT/src's) file tree, by slash-separated
/// paths relative to its root.
pub trait ModuleTree: Send + Sync {
    /// The entries of directory `rel` as (name, is a directory), or `None`
    /// when there is no such directory.
    fn read_dir(&self, rel: &str) -> Option<Vec<(String, bool)>>;
    /// The contents of file `rel`.
    ///
    /// # Errors
    /// The I/O error reading it.
    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>>;
}

/// A module tree on disk.
#[derive(Debug, Clone)]
pub struct DirTree {
    root: PathBuf,
}

impl DirTree {
    /// The tree rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> DirTree {
        DirTree { root: root.into() }
    }

    fn path(&self, rel: &str) -> PathBuf {
        rel.split('/')
            .filter(|p| !p.is_empty())
            .fold(self.root.clone(), |p, part| p.join(part))
    }
}

impl ModuleTree for DirTree {
    fn read_dir(&self, rel: &str) -> Option<Vec<(String, bool)>> {
        let entries = std::fs::read_dir(self.path(rel)).ok()?;
        Some(
            entries
                .flatten()
                .map(|e| {
                    let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                    (e.file_name().to_string_lossy().into_owned(), is_dir)
                })
                .collect(),
        )
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(rel))
    }
}
