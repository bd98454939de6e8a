//! The source the CLI uses: the go command's module cache first, then the
//! GOPROXY chain, writing what the chain returns back into the cache in go's own
//! layout so the next run (ours or the go command's) reads it from disk.
//!
//! go.mod files are checked against go.sum before they are returned or written
//! (a cached copy too, as go's `readDiskGoMod` does), so a tampered file never
//! reaches the cache. Writes are atomic (temporary file in the same directory,
//! then rename) and, as in `modfetch.writeDiskCache`, writing a `.mod` rewrites
//! `@v/list` from the `.mod` files present. Go guards that rewrite with a file
//! lock; we replace `list` by rename instead, which never leaves a torn file
//! but can, if a go command writes the same module's list at the same instant,
//! lose that one entry until the next rewrite — harmless, since go itself
//! treats `list` as a hint and serves exact versions from the `.mod` files.
//! Version lists come from the chain (they change over time); only when the
//! chain is offline or the path private is the cached list used.

use std::path::Path;
use std::sync::{Arc, Mutex};

use super::modcache::ModCache;
use super::modzip;
use super::proxy;
use super::verify::GoModSums;
use super::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};
use crate::atomic::{self, Durability};
use crate::version::escape::{escape_path, escape_version};
use crate::version::module::canonical_version;
use crate::version::semver;

/// Module cache in front of an upstream source, written through.
pub struct CachedSource {
    cache: ModCache,
    upstream: Arc<dyn ModuleSource>,
    sums: GoModSums,
    write_errors: Mutex<Vec<String>>,
}

impl std::fmt::Debug for CachedSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedSource")
            .field("cache", &self.cache.dir())
            .finish_non_exhaustive()
    }
}

impl CachedSource {
    /// Read `cache` first, then `upstream`; check go.mod files against `sums`.
    pub fn new(cache: ModCache, upstream: Box<dyn ModuleSource>, sums: GoModSums) -> Self {
        Self {
            cache,
            upstream: Arc::from(upstream),
            sums,
            write_errors: Mutex::new(Vec::new()),
        }
    }

    /// The source behind the cache (the GOPROXY chain): for questions whose
    /// answer changes over time and must not come from the module cache's
    /// partial `@v/list` files (see [`super::metadata_cache`]).
    pub fn upstream(&self) -> Arc<dyn ModuleSource> {
        Arc::clone(&self.upstream)
    }

    /// Cache writes that failed (the data was still returned), for the CLI to
    /// warn about as go does ("go: writing stat cache: …").
    pub fn write_errors(&self) -> Vec<String> {
        self.write_errors
            .lock()
            .expect("no panics while holding the lock")
            .clone()
    }

    fn record(&self, result: std::io::Result<()>, what: &str) {
        if let Err(e) = result {
            let mut errors = self
                .write_errors
                .lock()
                .expect("no panics while holding the lock");
            errors.push(format!("writing {what} to the module cache: {e}"));
        }
    }

    /// `<cache>/<escaped path>/@v/<escaped version>.<ext>`.
    fn file(&self, path: &str, version: &str, ext: &str) -> std::io::Result<std::path::PathBuf> {
        let invalid = |e: &dyn std::fmt::Display| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string())
        };
        let ep = escape_path(path).map_err(|e| invalid(&e))?;
        let ev = escape_version(version).map_err(|e| invalid(&e))?;
        Ok(self
            .cache
            .dir()
            .join(ep)
            .join("@v")
            .join(format!("{ev}.{ext}")))
    }

    fn write_info(&self, path: &str, info: &Info) -> std::io::Result<()> {
        let json = serde_json::json!({
            "Version": info.version,
            "Time": info.time.as_deref().unwrap_or("0001-01-01T00:00:00Z"),
        });
        atomic::write(
            &self.file(path, &info.version, "info")?,
            json.to_string().as_bytes(),
            Durability::Cache,
        )
    }

    fn write_mod(&self, path: &str, version: &str, data: &[u8]) -> std::io::Result<()> {
        let file = self.file(path, version, "mod")?;
        atomic::write(&file, data, Durability::Cache)?;
        rewrite_list(file.parent().expect("a .mod file lives in @v"))
    }
}

/// `rewriteVersionList`: every `<v>.mod` in `@v` whose file stem is a canonical
/// version (so escaped upper-case versions are left out, as go leaves them
/// out), semver-sorted, one per line.
fn rewrite_list(dir: &Path) -> std::io::Result<()> {
    let mut list = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(v) = name.strip_suffix(".mod")
            && !v.is_empty()
            && canonical_version(v).as_deref() == Some(v)
        {
            list.push(v.to_owned());
        }
    }
    list.sort_by(|a, b| semver::compare(a, b).then_with(|| a.cmp(b)));
    let text: String = list.iter().flat_map(|v| [v.as_str(), "\n"]).collect();
    let file = dir.join("list");
    if std::fs::read(&file).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    atomic::write(&file, text.as_bytes(), Durability::Cache)
}

impl ModuleSource for CachedSource {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        Box::pin(async move {
            match self.upstream.versions(path).await {
                Err(e) if matches!(e.kind, FetchErrorKind::Offline | FetchErrorKind::Private) => {
                    self.cache.versions(path).await.map_err(|_| e)
                }
                answer => answer,
            }
        })
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            match self.upstream.latest(path).await {
                Err(e) if matches!(e.kind, FetchErrorKind::Offline | FetchErrorKind::Private) => {
                    self.cache.latest(path).await.map_err(|_| e)
                }
                answer => answer,
            }
        })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            if let Ok(info) = self.cache.info(path, version).await {
                return Ok(info);
            }
            let info = self.upstream.info(path, version).await?;
            self.record(
                self.write_info(path, &info),
                &format!("{path}@{version}.info"),
            );
            Ok(info)
        })
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            if let Ok(data) = self.cache.go_mod(path, version).await {
                self.sums.check(path, version, &data)?;
                return Ok(data);
            }
            let data = self.upstream.go_mod(path, version).await?;
            self.sums.check(path, version, &data)?;
            // One that does not parse is handed on (its error is the
            // caller's to report) but not kept: it is as likely a proxy's
            // fault as the module's, and a cached copy would outlive the fault.
            if proxy::go_mod_problem(&data).is_none() {
                self.record(
                    self.write_mod(path, version, &data),
                    &format!("{path}@{version}.mod"),
                );
            }
            Ok(data)
        })
    }

    /// Zips are written without a `.ziphash`, so the go command, which trusts
    /// a zip only beside its hash, downloads and verifies its own copy; the
    /// audit checks the bytes against go.sum itself.
    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            if let Ok(data) = self.cache.zip(path, version).await {
                return Ok(data);
            }
            let data = self.upstream.zip(path, version).await?;
            // Likewise a zip that is no module zip, or one go would refuse.
            if modzip::check_archive(&data).is_err() {
                return Ok(data);
            }
            self.record(
                self.file(path, version, "zip")
                    .and_then(|file| atomic::write(&file, &data, Durability::Cache)),
                &format!("{path}@{version}.zip"),
            );
            Ok(data)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::memory::MemorySource;

    #[tokio::test]
    async fn a_go_mod_that_does_not_parse_is_handed_on_but_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let upstream = MemorySource::new()
            .with("example.com/good", "v1.0.0", "module example.com/good\n")
            .with(
                "example.com/bad",
                "v1.0.0",
                "\u{0}garbage from a faulty proxy",
            );
        let source = CachedSource::new(
            ModCache::new(dir.path()),
            Box::new(upstream),
            GoModSums::new(),
        );
        for path in ["example.com/good", "example.com/bad"] {
            source.go_mod(path, "v1.0.0").await.unwrap();
        }
        let cached = |path: &str| source.file(path, "v1.0.0", "mod").unwrap().exists();
        assert!(cached("example.com/good"));
        assert!(!cached("example.com/bad"), "a garbage go.mod was cached");
    }
}
