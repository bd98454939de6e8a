//! The go command's module download cache, `$GOMODCACHE/cache/download`, read
//! only: a `file://` proxy tree (§3 of the fetch spec) with the cache's own
//! rules on top.
//!
//! Anything the cache cannot answer is [`FetchErrorKind::Offline`], never "not
//! found": absence from a cache says nothing about the module. Like cmd/go's
//! `readDiskGoMod`, a go.mod starting `//vgo 0.0.` is a stale auto-conversion
//! and counts as absent. `@v/list` here is what go rewrote from the `.mod`
//! files it holds (pseudo-versions included, upper-case versions left out),
//! filtered as a proxy list is.

use std::path::{Path, PathBuf};

use super::file::{FileSource, file_source};
use super::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};

/// The prefix of go.mod files written by pre-release vgo, which go ignores.
const OLD_VGO_PREFIX: &[u8] = b"//vgo 0.0.";

/// A read-only view of `$GOMODCACHE/cache/download`.
#[derive(Debug, Clone)]
pub struct ModCache {
    dir: PathBuf,
    files: FileSource,
}

impl ModCache {
    /// The cache below `gomodcache` (the GOMODCACHE directory itself).
    pub fn new(gomodcache: &Path) -> Self {
        let dir = download_dir(gomodcache);
        Self {
            files: file_source(&dir),
            dir,
        }
    }

    /// `$GOMODCACHE/cache/download`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Turn any failure into "not in the cache", keeping what happened.
    fn miss(&self, e: FetchError) -> FetchError {
        FetchError {
            kind: FetchErrorKind::Offline,
            detail: format!(
                "not in the module cache {}: {}",
                self.dir.display(),
                e.detail
            ),
            ..e
        }
    }
}

/// The download cache below a GOMODCACHE directory.
pub fn download_dir(gomodcache: &Path) -> PathBuf {
    gomodcache.join("cache").join("download")
}

impl ModuleSource for ModCache {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        Box::pin(async move { self.files.versions(path).await.map_err(|e| self.miss(e)) })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            self.files
                .info(path, version)
                .await
                .map_err(|e| self.miss(e))
        })
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move { self.files.latest(path).await.map_err(|e| self.miss(e)) })
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            let data = self
                .files
                .go_mod(path, version)
                .await
                .map_err(|e| self.miss(e))?;
            if data.starts_with(OLD_VGO_PREFIX) {
                return Err(FetchError {
                    module: format!("{path}@{version}"),
                    kind: FetchErrorKind::Offline,
                    detail: format!(
                        "not in the module cache {}: its go.mod is a stale //vgo conversion",
                        self.dir.display()
                    ),
                });
            }
            Ok(data)
        })
    }

    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            self.files
                .zip(path, version)
                .await
                .map_err(|e| self.miss(e))
        })
    }
}
