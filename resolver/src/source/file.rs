//! `file://` GOPROXY trees: the proxy URL space laid out on disk (the corpus and
//! `$GOMODCACHE/cache/download` are both such trees).
//!
//! As in cmd/go's `web` package, a missing file answers like a 404 (so a `,`
//! after this entry falls through) and a permission error like a 403 (a hard
//! failure); messages are go's (`reading file:///…: no such file or directory`).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::proxy::{ProxySource, Transport, TransportError};
use super::{BoxFuture, FetchErrorKind, modzip};

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
            let path = self.root.join(rel);
            // Refused before reading, as an HTTP proxy's body would be.
            if std::fs::metadata(&path).is_ok_and(|m| m.len() > modzip::MAX_ZIP_FILE) {
                return Err(TransportError {
                    kind: FetchErrorKind::Failed,
                    detail: format!("reading {url}: {}", modzip::response_too_large()),
                    status: None,
                });
            }
            std::fs::read(path).map_err(|e| {
                let kind = match e.kind() {
                    ErrorKind::NotFound => FetchErrorKind::NotFound,
                    _ => FetchErrorKind::Failed,
                };
                TransportError {
                    kind,
                    detail: format!("reading {url}: {}", io_message(&e)),
                    status: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_over_the_zip_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("v1.0.0.zip");
        // Sparse: no disk is used, and reading it whole would take 500 MiB.
        let file = std::fs::File::create(&zip).unwrap();
        file.set_len(modzip::MAX_ZIP_FILE + 1).unwrap();
        let err = FileTransport::new(dir.path())
            .get("v1.0.0.zip")
            .await
            .unwrap_err();
        assert_eq!(err.kind, FetchErrorKind::Failed);
        assert!(err.detail.ends_with("v1.0.0.zip: response too large (max size is 524288000 bytes, the go command's limit for a module zip)"), "{}", err.detail);
        let opened = crate::packages::tree::ZipTree::open(&zip)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            opened.to_string(),
            "downloaded zip file too large (max size is 524288000 bytes)"
        );
    }
}
