//! Package facts kept between runs, per module version.
//!
//! A module version never changes, so what its sources say (the directory
//! index and the headers of the packages read) can be kept once learned: a
//! later audit then resolves imports and follows them without opening the
//! module's zip or reading one of its files. The store lives beside the go
//! command's download cache, one file per module version, replaced
//! atomically; a file that cannot be read, fails its checksum or does not
//! parse is treated as absent and written again, and deleting the whole
//! store is always safe.
//!
//! A file is the checksum of its payload, then the payload in postcard (a
//! compact serde encoding): an audit reads the facts of a hundred modules or
//! more, and decoding JSON took it ~5 ms of ~37. The checksum stands in for
//! what JSON's syntax gave for free: a damaged file is found, not decoded
//! into other facts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::FileHeader;
use super::tree::{Listing, ModuleTree};
use crate::atomic::{self, Durability};
use crate::source::{CACHE_CHECKSUM_LEN, cache_checksum};
use crate::version::escape;

/// What is kept about one module version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredModule {
    /// Every directory's entries.
    pub dirs: BTreeMap<String, Listing>,
    /// The headers of the Go files of each package read, by import path.
    pub packages: BTreeMap<String, Vec<FileHeader>>,
}

/// `<gomodcache>/cache/tykdeps/facts-v2/<escaped path>/@v/<escaped version>.facts`.
#[must_use]
pub fn file(gomodcache: &Path, path: &str, version: &str) -> Option<PathBuf> {
    let path = escape::escape_path(path).ok()?;
    let version = escape::escape_version(version).ok()?;
    Some(
        facts_dir(gomodcache)
            .join(path)
            .join("@v")
            .join(format!("{version}.facts")),
    )
}

/// `<gomodcache>/cache/tykdeps/facts-v2/std/<go version>.facts`: the standard
/// library's facts for one toolchain release (`go1.26.8`). `std` is no
/// valid module path, so it meets no module's directory.
#[must_use]
pub fn std_file(gomodcache: &Path, go_version: &str) -> Option<PathBuf> {
    let plain = go_version
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    (plain && !go_version.starts_with('.')).then(|| {
        facts_dir(gomodcache)
            .join("std")
            .join(format!("{go_version}.facts"))
    })
}

fn facts_dir(gomodcache: &Path) -> PathBuf {
    crate::source::tykdeps_cache_dir(gomodcache).join("facts-v2")
}

/// The stored facts in `file`, if its checksum holds and they parse.
#[must_use]
pub fn load(file: &Path) -> Option<StoredModule> {
    let bytes = std::fs::read(file).ok()?;
    let (check, payload) = bytes.split_at_checked(CACHE_CHECKSUM_LEN)?;
    if cache_checksum(payload) != check {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// Replace `file` with `module`, atomically; a cache file, not flushed to disk.
///
/// # Errors
/// The I/O error creating the directory or writing the file.
pub fn save(file: &Path, module: &StoredModule) -> std::io::Result<()> {
    let payload = postcard::to_stdvec(module).map_err(std::io::Error::other)?;
    let mut data = cache_checksum(&payload).to_vec();
    data.extend_from_slice(&payload);
    atomic::write(file, &data, Durability::OwnCache)
}

/// A module tree answered from a stored index; the real tree is opened only
/// if a file must be read (a package whose facts were not stored).
pub struct IndexedTree {
    dirs: BTreeMap<String, Listing>,
    open: Box<dyn Fn() -> Option<Arc<dyn ModuleTree>> + Send + Sync>,
    real: OnceLock<Option<Arc<dyn ModuleTree>>>,
}

impl IndexedTree {
    /// A tree listing `dirs`, reading files from what `open` returns.
    pub fn new(
        dirs: BTreeMap<String, Listing>,
        open: Box<dyn Fn() -> Option<Arc<dyn ModuleTree>> + Send + Sync>,
    ) -> Self {
        Self {
            dirs,
            open,
            real: OnceLock::new(),
        }
    }
}

impl ModuleTree for IndexedTree {
    fn read_dir(&self, rel: &str) -> Option<Listing> {
        self.dirs.get(rel.trim_matches('/')).cloned()
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        match self.real.get_or_init(&self.open) {
            Some(tree) => tree.read(rel),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{rel}: the module's sources are no longer in the module cache"),
            )),
        }
    }

    fn listing(&self) -> BTreeMap<String, Listing> {
        self.dirs.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_module_round_trips_and_garbage_reads_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let file = file(dir.path(), "example.com/M", "v1.0.0").unwrap();
        assert!(file.ends_with("cache/tykdeps/facts-v2/example.com/!m/@v/v1.0.0.facts"));
        let module = StoredModule {
            dirs: BTreeMap::from([(String::new(), vec![("m.go".to_owned(), false)])]),
            packages: BTreeMap::from([(
                "example.com/M".to_owned(),
                vec![FileHeader {
                    name: "m.go".to_owned(),
                    package: "m".to_owned(),
                    imports: vec!["fmt".to_owned()],
                    go_build: None,
                    plus_build: Vec::new(),
                }],
            )]),
        };
        save(&file, &module).unwrap();
        assert_eq!(load(&file), Some(module));
        let good = std::fs::read(&file).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        for damaged in [
            &good[..good.len() - 1],
            &flipped,
            &good[..2],
            b"{\"dirs\": [".as_slice(),
        ] {
            std::fs::write(&file, damaged).unwrap();
            assert_eq!(load(&file), None, "{damaged:?} reads as absent");
        }
    }
}
