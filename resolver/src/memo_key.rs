//! The keys of tykdeps' memos (`graph`'s output, the audit's output, the
//! gateway's build): SHA-256 over length-prefixed fields, so two fields can
//! never read as one, beginning with the memo's format and this executable's
//! identity, so a rebuilt tykdeps never trusts what an older build kept; and
//! the memo file, whose first line is that key.

use std::fmt::Write as _;
use std::path::PathBuf;

use sha2::{Digest as _, Sha256};

/// A memo key being hashed.
#[derive(Default)]
pub struct MemoKey {
    hash: Sha256,
}

impl MemoKey {
    /// A key for a memo of `format` written by this build; `None` when the
    /// running executable cannot be found or stat'ed (no memo then).
    #[must_use]
    pub fn for_this_build(format: &str) -> Option<Self> {
        let mut key = Self::default();
        key.field(format);
        key.field(build_identity()?);
        Some(key)
    }

    /// Adds one field: bytes, a path's bytes, text.
    pub fn field(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        self.hash.update((bytes.len() as u64).to_le_bytes());
        self.hash.update(bytes);
    }

    /// The key, in hex.
    #[must_use]
    pub fn hex(self) -> String {
        hex(&self.hash.finalize())
    }
}

/// One memo file: the key of the inputs it was computed from on its first
/// line, what was kept for them after it. A file of other inputs, damaged
/// or missing is a miss, and failing to write it changes nothing: a memo is
/// a shortcut.
pub struct MemoSlot {
    file: PathBuf,
    key: String,
}

impl MemoSlot {
    /// The memo `file`, for inputs whose key is `key` ([`MemoKey::hex`]).
    #[must_use]
    pub fn new(file: PathBuf, key: String) -> Self {
        Self { file, key }
    }

    /// What was kept for these inputs, if anything.
    #[must_use]
    pub fn read(&self) -> Option<String> {
        let mut text = std::fs::read_to_string(&self.file).ok()?;
        let kept = text.strip_prefix(&self.key)?.strip_prefix('\n')?.len();
        text.drain(..text.len() - kept);
        Some(text)
    }

    /// Keep `kept` for these inputs, the file replaced atomically.
    pub fn write(&self, kept: &str) {
        let text = format!("{}\n{kept}", self.key);
        let _ = crate::atomic::write(
            &self.file,
            text.as_bytes(),
            crate::atomic::Durability::OwnCache,
        );
    }
}

/// The SHA-256 of `bytes`, in hex.
#[must_use]
pub fn digest_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// This executable: its version, path, size and modification time.
fn build_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        exe.display(),
        meta.len(),
        modified.as_nanos()
    ))
}

/// Size, modification and change times, inode: a write, a rename over it
/// or a `touch` changes one of them.
#[must_use]
pub fn file_stamp(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        format!(
            "{} {}.{} {}.{} {}",
            meta.len(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
            meta.ino()
        )
    }
    #[cfg(not(unix))]
    {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!("{} {modified}", meta.len())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
