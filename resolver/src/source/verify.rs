//! The `h1:` hashes of go.sum (x/mod `dirhash.Hash1`) and the go.sum check of
//! fetched go.mod files (cmd/go `checkGoMod`/`checkModSum`).
//!
//! A go.mod that disagrees with go.sum is never handed on: the check runs on
//! every go.mod a source returns, cached or fetched, before it is written
//! anywhere, exactly where the go command stops with "SECURITY ERROR".

use std::hash::BuildHasher as _;
use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use sha2::{Digest, Sha256};

use super::{FetchError, FetchErrorKind, modzip};
use crate::gomod::{self, ParseError};
use crate::packed::{Packed, PackedStrings};

/// The hash of an empty go.mod, which go drops from go.sum on read: such lines
/// were written by old go commands and prove nothing.
pub const EMPTY_GO_MOD_HASH: &str = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";

/// Why a file list cannot be hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// A file name contains a newline, which would make the summary ambiguous.
    #[error("dirhash: filenames with newlines are not supported: {0:?}")]
    NewlineInName(String),
    /// A file of a directory could not be read.
    #[error("hashing {path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// `dirhash.Hash1` of `(name, content)` pairs: names sorted bytewise, one
/// `<hex sha256>  <name>\n` line each, then base64 SHA-256 of that summary.
pub fn hash1<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<String, HashError> {
    hash1_of_digests(
        files
            .into_iter()
            .map(|(name, content)| (name.to_owned(), Sha256::digest(content)))
            .collect(),
    )
}

/// One file's SHA-256.
type FileDigest = sha2::digest::Output<Sha256>;

/// [`hash1`] from each file's SHA-256, for files hashed as they are read.
fn hash1_of_digests(mut files: Vec<(String, FileDigest)>) -> Result<String, HashError> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut summary = Sha256::new();
    for (name, digest) in files {
        if name.contains('\n') {
            return Err(HashError::NewlineInName(name));
        }
        summary.update(format!("{digest:x}  {name}\n"));
    }
    Ok(format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(summary.finalize())
    ))
}

/// The go.sum `/go.mod` hash of go.mod bytes (cmd/go `goModSum`).
pub fn go_mod_hash(go_mod: &[u8]) -> String {
    hash1([("go.mod", go_mod)]).expect("\"go.mod\" has no newline")
}

/// `dirhash.HashZip`: the go.sum hash of a module zip, over its file entries
/// by their full names (`<path>@<version>/...`).
///
/// # Errors
/// A zip that cannot be read, or a file name with a newline.
pub fn zip_hash(zip: &[u8]) -> Result<String, HashError> {
    let io = |e: &dyn std::fmt::Display| HashError::Io {
        path: "module zip".to_owned(),
        source: std::io::Error::other(e.to_string()),
    };
    modzip::check_zip_size(zip.len() as u64).map_err(|e| io(&e))?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).map_err(|e| io(&e))?;
    // A zip go refuses has no hash worth comparing, and is never inflated.
    modzip::check_declared(&mut archive).map_err(|e| io(&e))?;
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| io(&e))?;
        if entry.is_dir() {
            continue;
        }
        let mut digest = Sha256::new();
        std::io::copy(&mut entry, &mut digest).map_err(|e| io(&e))?;
        let name = entry.name().map_err(|e| io(&e))?.into_owned();
        files.push((name, digest.finalize()));
    }
    hash1_of_digests(files)
}

/// `dirhash.HashDir(dir, prefix, Hash1)`: every regular file below `dir`, named
/// `<prefix>/<relative slash path>`. For an extracted module with prefix
/// `<path>@<version>` this equals the go.sum hash of its zip.
pub fn hash_dir(dir: &Path, prefix: &str) -> Result<String, HashError> {
    let mut files = Vec::new();
    collect_files(dir, prefix, &mut files)?;
    hash1(files.iter().map(|(n, c)| (n.as_str(), c.as_slice())))
}

fn collect_files(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), HashError> {
    let io = |source| HashError::Io {
        path: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
        if entry.file_type().map_err(io)?.is_dir() {
            collect_files(&entry.path(), &name, out)?;
        } else {
            let content = std::fs::read(entry.path()).map_err(io)?;
            out.push((name, content));
        }
    }
    Ok(())
}

/// go.sum's `/go.mod` hashes, keyed by (module path, version). Several hashes
/// for one key are allowed, as in go.sum; any of them matching is enough.
/// Shared, not copied, by the sources and caches that check against it.
#[derive(Debug, Clone, Default)]
pub struct GoModSums {
    index: Arc<SumIndex>,
}

/// The hashes where they lie in go.sum's text (read on every run: indexing
/// them in place spares ~3,000 small strings for a large module).
#[derive(Debug, Default, Clone)]
struct SumIndex {
    text: PackedStrings,
    /// Per hash, in file order: the ranges of its path, version and hash in
    /// `text`.
    lines: Vec<[Packed; 3]>,
    /// Line numbers by the hash of their (path, version).
    table: HashTable<u32>,
}

impl GoModSums {
    /// No hashes: nothing is checked.
    pub fn new() -> Self {
        Self::default()
    }

    /// The `/go.mod` hashes of go.sum `text` (called `file_name` in errors).
    ///
    /// # Errors
    /// A malformed line, as [`gomod::parse_sum`] reports it.
    pub fn parse(file_name: &str, text: String) -> Result<Self, ParseError> {
        let text = PackedStrings::from(text);
        let mut lines = Vec::new();
        gomod::for_each_sum_line(file_name, text.as_str(), |l| {
            if l.go_mod {
                lines.push([l.path, l.version, l.hash].map(|f| text.range_of(f)));
            }
        })?;
        let mut index = SumIndex {
            text,
            ..SumIndex::default()
        };
        for line in lines {
            index.add(line);
        }
        Ok(Self {
            index: Arc::new(index),
        })
    }

    /// Record the hash of `path version/go.mod`; the empty-go.mod hash is
    /// dropped, as go drops it on read.
    pub fn insert(&mut self, path: &str, version: &str, hash: &str) {
        if hash != EMPTY_GO_MOD_HASH {
            let index = Arc::make_mut(&mut self.index);
            let line = [path, version, hash].map(|field| index.text.push(field));
            index.add(line);
        }
    }

    /// Every (path, version) with a hash, in file order.
    pub fn keys(&self) -> impl Iterator<Item = (&str, &str)> {
        let index = &*self.index;
        index
            .lines
            .iter()
            .map(|l| (index.field(l[0]), index.field(l[1])))
    }

    /// Check go.mod bytes for `path@version` against go.sum: fine when go.sum
    /// has no hash for it or one that matches; [`FetchErrorKind::Tampered`]
    /// otherwise, naming the module, both hashes and go.sum.
    pub fn check(&self, path: &str, version: &str, go_mod: &[u8]) -> Result<(), FetchError> {
        let want = self.hashes_in_order(path, version);
        if want.is_empty() {
            return Ok(());
        }
        let got = go_mod_hash(go_mod);
        if want.contains(&got.as_str()) {
            return Ok(());
        }
        Err(FetchError {
            module: format!("{path}@{version}"),
            kind: FetchErrorKind::Tampered,
            detail: format!(
                "verifying go.mod: checksum mismatch\n\tdownloaded: {got}\n\tgo.sum:     {}\n\
                 SECURITY ERROR: this download does NOT match an earlier download recorded in go.sum",
                want.join(", ")
            ),
        })
    }

    /// Whether go.mod bytes hashing to `h1` may stand for `path@version`:
    /// go.sum has no hash for it, or `h1` is one of them.
    pub fn allows(&self, path: &str, version: &str, h1: &str) -> bool {
        let mut want = self.hashes(path, version).peekable();
        want.peek().is_none() || want.any(|w| w == h1)
    }

    /// Whether go.sum has a hash of `path version/go.mod`.
    pub fn has(&self, path: &str, version: &str) -> bool {
        self.hashes(path, version).next().is_some()
    }

    /// The hashes of `path version/go.mod`, in no order.
    fn hashes(&self, path: &str, version: &str) -> impl Iterator<Item = &str> {
        self.lines_of(path, version)
            .map(|n| self.index.field(self.index.lines[n as usize][2]))
    }

    /// The hashes of `path version/go.mod`, in go.sum's order.
    fn hashes_in_order(&self, path: &str, version: &str) -> Vec<&str> {
        let mut lines: Vec<u32> = self.lines_of(path, version).collect();
        lines.sort_unstable();
        lines
            .into_iter()
            .map(|n| self.index.field(self.index.lines[n as usize][2]))
            .collect()
    }

    /// The numbers of the lines that hash `path version/go.mod`, in no order.
    fn lines_of(&self, path: &str, version: &str) -> impl Iterator<Item = u32> {
        let index = &*self.index;
        index
            .table
            .iter_hash(key_hash(path, version))
            .copied()
            .filter(move |n| {
                let l = index.lines[*n as usize];
                index.field(l[0]) == path && index.field(l[1]) == version
            })
    }
}

impl<P: AsRef<str>, V: AsRef<str>, H: AsRef<str>> FromIterator<(P, V, H)> for GoModSums {
    fn from_iter<I: IntoIterator<Item = (P, V, H)>>(iter: I) -> Self {
        let mut sums = Self::new();
        for (path, version, hash) in iter {
            sums.insert(path.as_ref(), version.as_ref(), hash.as_ref());
        }
        sums
    }
}

impl SumIndex {
    fn add(&mut self, line: [Packed; 3]) {
        let n = u32::try_from(self.lines.len()).expect("fewer than 2^32 lines");
        let hash = key_hash(self.field(line[0]), self.field(line[1]));
        self.lines.push(line);
        let (text, lines) = (&self.text, &self.lines);
        self.table.insert_unique(hash, n, |m| {
            let l = lines[*m as usize];
            key_hash(text.get(l[0]), text.get(l[1]))
        });
    }

    fn field(&self, range: Packed) -> &str {
        self.text.get(range)
    }
}

fn key_hash(path: &str, version: &str) -> u64 {
    FxBuildHasher.hash_one((path, version))
}
