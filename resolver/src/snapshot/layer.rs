//! The module sources around a snapshot: [`SnapshotSource`] answers the
//! go.mod files a snapshot holds before asking the real sources, so an
//! audit needs only the plugin's own modules; [`Recording`] notes every
//! go.mod a resolution reads, which is what a snapshot must hold.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::Snapshot;
use crate::source::{BoxFuture, FetchError, Info, ModuleSource};

/// Snapshots' go.mod files in front of `inner`.
pub struct SnapshotSource {
    snapshots: Vec<Arc<Snapshot>>,
    inner: Arc<dyn ModuleSource>,
}

impl SnapshotSource {
    /// The go.mod files `snapshots` hold ([`Snapshot::go_mod`]) before
    /// `inner`; a module version's go.mod is the same whichever holds it.
    #[must_use]
    pub fn new(snapshots: Vec<Arc<Snapshot>>, inner: Arc<dyn ModuleSource>) -> Self {
        Self { snapshots, inner }
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
        if let Some(text) = self.snapshots.iter().find_map(|s| s.go_mod(path, version)) {
            let bytes = text.as_bytes().to_vec();
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
