//! Where module sources are read from: a local directory (a checkout, or an
//! extracted module cache directory `$GOMODCACHE/<escaped path>@<escaped
//! version>/`) or a module zip (`$GOMODCACHE/cache/download/<escaped
//! path>/@v/<escaped version>.zip`), read in place without extracting. The
//! trait keeps the resolver independent of the layout.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;
use zip::ZipArchive;

use crate::source::modzip;
use crate::version::escape;

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

    /// Every directory's entries, by directory (`""` for the root).
    fn listing(&self) -> BTreeMap<String, Listing> {
        let mut all = BTreeMap::new();
        let mut dirs = vec![String::new()];
        while let Some(dir) = dirs.pop() {
            let Some(entries) = self.read_dir(&dir) else {
                continue;
            };
            for (name, _) in entries.iter().filter(|(_, is_dir)| *is_dir) {
                dirs.push(if dir.is_empty() {
                    name.clone()
                } else {
                    format!("{dir}/{name}")
                });
            }
            all.insert(dir, entries);
        }
        all
    }
}

/// A directory's entries: name, and whether it is a directory.
pub type Listing = Vec<(String, bool)>;

/// A module tree on disk. Directory listings are remembered: resolving an
/// import asks about the same directories many times, and a tree is read
/// once per audit.
#[derive(Debug)]
pub struct DirTree {
    root: PathBuf,
    listings: Mutex<HashMap<String, Option<Listing>>>,
}

impl DirTree {
    /// The tree rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> DirTree {
        DirTree {
            root: root.into(),
            listings: Mutex::new(HashMap::default()),
        }
    }

    /// Take `known` (each directory's entries) as listed already, without
    /// reading those directories: a store's listing of a tree that does not
    /// change, such as a toolchain release's `$GOROOT/src`.
    pub fn know(&self, known: BTreeMap<String, Listing>) {
        let mut listings = self.lock_listings();
        for (dir, entries) in known {
            listings.entry(dir).or_insert(Some(entries));
        }
    }

    /// How many directories are listed so far (read, or known).
    pub fn listed_count(&self) -> usize {
        self.lock_listings()
            .values()
            .filter(|e| e.is_some())
            .count()
    }

    /// Every directory listed so far (read, or known), by directory.
    pub fn listed(&self) -> BTreeMap<String, Listing> {
        self.lock_listings()
            .iter()
            .filter_map(|(dir, entries)| Some((dir.clone(), entries.clone()?)))
            .collect()
    }

    fn lock_listings(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<Listing>>> {
        self.listings
            .lock()
            .expect("no panics while holding the lock")
    }

    fn list(&self, rel: &str) -> Option<Listing> {
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

    fn path(&self, rel: &str) -> PathBuf {
        rel.split('/')
            .filter(|p| !p.is_empty())
            .fold(self.root.clone(), |p, part| p.join(part))
    }
}

impl ModuleTree for DirTree {
    fn read_dir(&self, rel: &str) -> Option<Vec<(String, bool)>> {
        let mut listings = self.listings.lock().ok()?;
        listings
            .entry(rel.to_owned())
            .or_insert_with(|| self.list(rel))
            .clone()
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(rel))
    }
}

/// A module zip as the go command stores it: every entry under one
/// `<module path>@<version>/` prefix.
pub struct ZipTree {
    archive: Mutex<ZipArchive<Box<dyn ReadSeek>>>,
    /// Slash-separated file path (prefix removed) → entry index.
    files: BTreeMap<String, usize>,
    /// Directory → its entries (name, is a directory).
    dirs: BTreeMap<String, Vec<(String, bool)>>,
}

impl ZipTree {
    /// Open the zip at `path` and index its entries.
    ///
    /// # Errors
    /// The I/O or zip error opening it.
    pub fn open(path: &Path) -> std::io::Result<ZipTree> {
        let file = File::open(path)?;
        modzip::check_zip_size(file.metadata()?.len()).map_err(std::io::Error::other)?;
        Self::new(Box::new(file))
    }

    /// Index a zip held in memory (as fetched from a proxy).
    ///
    /// # Errors
    /// The zip error reading it.
    pub fn from_bytes(bytes: Vec<u8>) -> std::io::Result<ZipTree> {
        modzip::check_zip_size(bytes.len() as u64).map_err(std::io::Error::other)?;
        Self::new(Box::new(std::io::Cursor::new(bytes)))
    }

    fn new(reader: Box<dyn ReadSeek>) -> std::io::Result<ZipTree> {
        let mut archive = ZipArchive::new(reader).map_err(std::io::Error::other)?;
        // Go refuses a zip over its limits before building anything from it.
        modzip::check_declared(&mut archive).map_err(std::io::Error::other)?;
        let mut files = BTreeMap::new();
        let mut dirs: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
        for (index, name) in archive.file_names().enumerate() {
            let name = name.map_err(std::io::Error::other)?;
            // A module path has no '@', so the prefix ends at the first '/' after it.
            let Some(rel) = modzip::module_relative(&name) else {
                continue;
            };
            if rel.is_empty() || rel.ends_with('/') {
                continue;
            }
            files.insert(rel.to_owned(), index);
            index_parents(&mut dirs, rel);
        }
        for entries in dirs.values_mut() {
            entries.sort();
            entries.dedup();
        }
        Ok(ZipTree {
            archive: Mutex::new(archive),
            files,
            dirs,
        })
    }
}

/// What a zip is read from: a file or bytes in memory.
trait ReadSeek: std::io::Read + std::io::Seek + Send {}

impl<T: std::io::Read + std::io::Seek + Send> ReadSeek for T {}

/// Record `rel` and each of its parent directories in their parents' listings.
fn index_parents(dirs: &mut BTreeMap<String, Vec<(String, bool)>>, rel: &str) {
    let mut child = rel;
    let mut is_dir = false;
    loop {
        let (parent, name) = child.rsplit_once('/').unwrap_or(("", child));
        dirs.entry(parent.to_owned())
            .or_default()
            .push((name.to_owned(), is_dir));
        if parent.is_empty() {
            return;
        }
        child = parent;
        is_dir = true;
    }
}

impl ModuleTree for ZipTree {
    fn read_dir(&self, rel: &str) -> Option<Vec<(String, bool)>> {
        self.dirs.get(rel.trim_matches('/')).cloned()
    }

    fn listing(&self) -> BTreeMap<String, Listing> {
        self.dirs.clone()
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        let index = *self
            .files
            .get(rel)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, rel.to_owned()))?;
        let mut archive = self
            .archive
            .lock()
            .map_err(|_| std::io::Error::other("a reader of this zip panicked"))?;
        let mut entry = archive.by_index(index).map_err(std::io::Error::other)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes)?;
        Ok(bytes)
    }
}

/// Where the module cache keeps `path@version`: the extracted directory and
/// the downloaded zip, with go's case escaping; `None` for an invalid path or version.
pub fn modcache_paths(modcache: &Path, path: &str, version: &str) -> Option<(PathBuf, PathBuf)> {
    let path = escape::escape_path(path).ok()?;
    let version = escape::escape_version(version).ok()?;
    let dir = modcache.join(format!("{path}@{version}"));
    let zip = modcache
        .join("cache/download")
        .join(path)
        .join("@v")
        .join(format!("{version}.zip"));
    Some((dir, zip))
}

/// The sources of `path@version` in the module cache: the extracted
/// directory when present, else the zip read in place, else `None` (the
/// caller answers at module level).
pub fn open_cached(modcache: &Path, path: &str, version: &str) -> Option<Arc<dyn ModuleTree>> {
    let (dir, zip) = modcache_paths(modcache, path, version)?;
    if dir.is_dir() {
        return Some(Arc::new(DirTree::new(dir)));
    }
    ZipTree::open(&zip)
        .ok()
        .map(|tree| Arc::new(tree) as Arc<dyn ModuleTree>)
}
