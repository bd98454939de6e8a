//! The module sources around a snapshot: [`SnapshotSource`] answers the
//! go.mod files a snapshot holds before asking the real sources, so an
//! audit needs only the plugin's own modules; [`Recording`] notes every
//! go.mod a resolution reads, which is what a snapshot must hold.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::source::{BoxFuture, FetchError, Info, ModuleSource};

/// A snapshot's go.mod files in front of `inner`.
pub struct SnapshotSource {
    go_mods: BTreeMap<(String, String), Vec<u8>>,
    inner: Arc<dyn ModuleSource>,
}

impl SnapshotSource {
    /// `go_mods` by `(path, version)` ([`super::Snapshot::go_mods`]) before `inner`.
    #[must_use]
    pub fn new(go_mods: BTreeMap<(String, String), Vec<u8>>, inner: Arc<dyn ModuleSource>) -> Self {
        Self { go_mods, inner }
    }
}

impl ModuleSource for SnapshotSource {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        self.inner.versions(path)
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        self.inner.info(path, version)
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        if let Some(bytes) = self.go_mods.get(&(path.to_owned(), version.to_owned())) {
            let bytes = bytes.clone();
            return Box::pin(async move { Ok(bytes) });
        }
        self.inner.go_mod(path, version)
    }

    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        self.inner.zip(path, version)
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        self.inner.latest(path)
    }
}

/// `inner`, noting each go.mod it answers.
pub struct Recording {
    inner: Arc<dyn ModuleSource>,
    seen: Mutex<BTreeMap<String, String>>,
}

impl Recording {
    /// Record what `inner` answers.
    #[must_use]
    pub fn new(inner: Arc<dyn ModuleSource>) -> Self {
        Self {
            inner,
            seen: Mutex::new(BTreeMap::new()),
        }
    }

    /// The go.mod texts answered so far, by `path@version`.
    #[must_use]
    pub fn go_mods(&self) -> BTreeMap<String, String> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl ModuleSource for Recording {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        self.inner.versions(path)
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        self.inner.info(path, version)
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            let bytes = self.inner.go_mod(path, version).await?;
            if let Ok(mut seen) = self.seen.lock() {
                seen.insert(
                    format!("{path}@{version}"),
                    String::from_utf8_lossy(&bytes).into_owned(),
                );
            }
            Ok(bytes)
        })
    }

    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        self.inner.zip(path, version)
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        self.inner.latest(path)
    }
}
