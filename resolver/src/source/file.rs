//! `file://` GOPROXY trees: the proxy URL space laid out on disk (the corpus and
//! `$GOMODCACHE/cache/download` are both such trees).
//!
//! As in cmd/go's `web` package, a missing file answers like a 404 (so a `,`
//! after this entry falls through) and a permission error like a 403 (a hard
//! failure); messages are go's (`reading file:///…: no such file or directory`).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::proxy::{ProxySource, Transport, TransportError};
use super::{BoxFuture, FetchErrorKind};

/// Reads files below a directory.
#[derive(Debug, Clone)]
pub struct FileTransport {
    root: PathBuf,
    base: String,
}

impl FileTransport {
    /// A transport rooted at `root`, named `file://<root>` in messages.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let base = format!("file://{}", root.display());
        Self { root, base }
    }

    /// The directory this transport reads.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Transport for FileTransport {
    fn get<'a>(&'a self, rel: &'a str) -> BoxFuture<'a, Result<Vec<u8>, TransportError>> {
        Box::pin(async move {
            let url = format!("{}/{rel}", self.base.trim_end_matches('/'));
            std::fs::read(self.root.join(rel)).map_err(|e| {
                let kind = match e.kind() {
                    ErrorKind::NotFound => FetchErrorKind::NotFound,
                    _ => FetchErrorKind::Failed,
                };
                TransportError {
                    kind,
                    detail: format!("reading {url}: {}", io_message(&e)),
                }
            })
        })
    }

    fn base(&self) -> &str {
        &self.base
    }
}

/// The OS error text without Rust's ` (os error N)` suffix, as Go prints it
/// (`no such file or directory`, `permission denied`).
fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// A `file://` proxy: the GOPROXY protocol over a directory.
pub type FileSource = ProxySource<FileTransport>;

/// The source for a `file://` proxy URL's path (`file:///srv/proxy` → `/srv/proxy`).
pub fn file_source(root: impl Into<PathBuf>) -> FileSource {
    ProxySource::new(FileTransport::new(root))
}
