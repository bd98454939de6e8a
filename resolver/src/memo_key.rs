//! The keys of tykdeps' memos (`graph`'s output, the audit's output, the
//! gateway's build): SHA-256 over length-prefixed fields, so two fields can
//! never read as one, beginning with the memo's format and this executable's
//! identity, so a rebuilt tykdeps never trusts what an older build kept; and
//! the memo file, whose first line is that key.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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

    /// Adds the file at `path`, which has `meta`: by its stamp, or by its
    /// bytes when it was written in the last second (or its times are in the
    /// future). File times move in clock ticks, so two writes of one size in
    /// one tick share a stamp (git's "racily clean" files), while a later
    /// write always changes the stamp of an older file. `None` when the
    /// bytes cannot be read.
    pub fn file(&mut self, path: &Path, meta: &std::fs::Metadata) -> Option<()> {
        if written_just_now(meta) {
            self.field("bytes");
            self.field(std::fs::read(path).ok()?);
        } else {
            self.field("stamp");
            self.field(file_stamp(meta));
        }
        Some(())
    }

    /// Adds the file at `path` as [`Self::file`] does, or that it is
    /// absent. `None` when it cannot be stat'ed or read.
    pub fn file_or_absent(&mut self, path: &Path) -> Option<()> {
        match std::fs::metadata(path) {
            Ok(meta) => self.file(path, &meta),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.field("absent");
                Some(())
            }
            Err(_) => None,
        }
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

/// Whether the file with `meta` was modified or changed less than a second
/// ago, or its times cannot be read or are ahead of the clock.
fn written_just_now(meta: &std::fs::Metadata) -> bool {
    let recent = |t: std::io::Result<std::time::SystemTime>| {
        t.ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age < std::time::Duration::from_secs(1))
    };
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt as _;
        let since_epoch = std::time::Duration::new(
            u64::try_from(meta.ctime()).unwrap_or(0),
            u32::try_from(meta.ctime_nsec()).unwrap_or(0),
        );
        Ok(std::time::UNIX_EPOCH + since_epoch)
    };
    #[cfg(not(unix))]
    let changed = meta.modified();
    recent(meta.modified()) || recent(changed)
}

/// Size, modification and change times, inode: a write, a rename over it
/// or a `touch` changes one of them.
fn file_stamp(meta: &std::fs::Metadata) -> String {
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
