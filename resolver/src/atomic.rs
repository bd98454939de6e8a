//! The library's one file writer: a file is replaced so that readers see the
//! old contents or the new, never a half-written file, and a failure leaves
//! the old one as it was.
//!
//! The new contents go to a temporary file in the same directory (a rename
//! is only atomic within one file system), which is given the original's
//! permissions (0644 for a new file, as go creates its files under the usual
//! umask) and renamed over the original. A symbolic link is followed, so the
//! file it points to is replaced and the link stays.
//!
//! A write killed before its rename (SIGKILL, a crash) leaves its temporary
//! file behind, which in a plugin's directory would show in `git status`. So
//! every writer holds an exclusive lock on its temporary file for as long as
//! it lives (the system drops it when the process dies), and before writing
//! removes the temporary files in the directory that nobody holds: those of
//! writers that died. A live writer's file is locked and kept.
//!
//! How durable the write is depends on what is written ([`Durability`]): a
//! user's go.mod must survive a crash, so it is flushed to disk, file and
//! directory entry; a cache file lost in a crash is only fetched or
//! computed again, so it is not. A file of tykdeps' own cache may even be
//! missing for a moment while it is replaced (see [`Durability::OwnCache`]).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How far a write goes before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// The user's files (go.mod edits): the contents are flushed to disk
    /// before the rename, and the directory after it.
    Durable,
    /// Cache files go reads too (its module cache): renamed into place, not
    /// flushed.
    Cache,
    /// Files only tykdeps reads, where a missing file is a cache miss: not
    /// flushed, and the old file is removed before the rename, so a reader
    /// may briefly find none. A rename over an existing file makes ext4
    /// (`auto_da_alloc`) start writing the new one out at once, inside the
    /// rename: ~0.5 ms per memo written, a twentieth of a warm `graph`.
    OwnCache,
}

/// Replace the contents of `file` with `data` (creating its directory).
///
/// # Errors
/// The I/O error that stopped the write; `file` is then as it was (or, for
/// [`Durability::OwnCache`], possibly absent).
pub fn write(file: &Path, data: &[u8], durability: Durability) -> io::Result<()> {
    write_with(file, durability, |f| f.write_all(data))
}

/// Replace the contents of `file` with what `fill` writes (creating its
/// directory): if `fill` or any later step fails, `file` is untouched and no
/// temporary file is left behind.
///
/// # Errors
/// The I/O error that stopped the write; `file` is then as it was.
fn write_with(
    file: &Path,
    durability: Durability,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve(file)?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let permissions = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta.permissions()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    sweep(dir);
    let mut temp = claim_temp(dir)?;
    fill(temp.as_file_mut())?;
    match permissions {
        Some(permissions) => temp.as_file().set_permissions(permissions)?,
        None => set_readable(temp.as_file())?,
    }
    if durability == Durability::Durable {
        temp.as_file().sync_all()?;
    }
    if durability == Durability::OwnCache {
        let _ = std::fs::remove_file(&target);
    }
    temp.persist(&target).map_err(|e| e.error)?;
    if durability == Durability::Durable {
        sync_dir(dir);
    }
    Ok(())
}

/// The prefix and suffix of every temporary file the writer makes.
const TEMP_PREFIX: &str = ".tykdeps-";
const TEMP_SUFFIX: &str = ".tmp";

/// A new temporary file in `dir`, locked for as long as it is open. A
/// sweeper may take the lock between creation and locking and remove the
/// file; it is then no longer linked, and another is made.
fn claim_temp(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    loop {
        let temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir)?;
        lock::exclusive(temp.as_file())?;
        if lock::still_linked(temp.as_file(), temp.path())? {
            return Ok(temp);
        }
    }
}

/// Remove the temporary files in `dir` whose writer died (no one holds
/// their lock). Best effort: a file that cannot be opened or removed is a
/// leftover, never a reason to fail the write.
fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        // Removed while this lock is held, so its writer cannot be
        // between creating and locking it (see `claim_temp`).
        if lock::try_exclusive(&file) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Advisory whole-file locks, released by the system when the file is
/// closed or its process dies.
#[cfg(unix)]
mod lock {
    use std::fs::File;
    use std::io;
    use std::os::unix::fs::MetadataExt as _;
    use std::path::Path;

    use rustix::fs::{FlockOperation, flock};

    /// Wait for the exclusive lock on `file`.
    pub(super) fn exclusive(file: &File) -> io::Result<()> {
        flock(file, FlockOperation::LockExclusive).map_err(io::Error::from)
    }

    /// Take the exclusive lock on `file` if no one holds it.
    pub(super) fn try_exclusive(file: &File) -> bool {
        flock(file, FlockOperation::NonBlockingLockExclusive).is_ok()
    }

    /// Whether `path` still names the open `file`.
    pub(super) fn still_linked(file: &File, path: &Path) -> io::Result<bool> {
        let open = file.metadata()?;
        Ok(std::fs::symlink_metadata(path)
            .is_ok_and(|named| named.ino() == open.ino() && named.dev() == open.dev()))
    }
}

/// Elsewhere nothing is swept: a temporary file is never taken as stale.
#[cfg(not(unix))]
mod lock {
    use std::fs::File;
    use std::io;
    use std::path::Path;

    pub(super) fn exclusive(_: &File) -> io::Result<()> {
        Ok(())
    }

    pub(super) fn try_exclusive(_: &File) -> bool {
        false
    }

    pub(super) fn still_linked(_: &File, _: &Path) -> io::Result<bool> {
        Ok(true)
    }
}

/// The file a path names, through any symbolic links; a file that does not
/// exist yet is its own target.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(target) => Ok(target),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(e),
    }
}

/// A new file is world-readable, as go creates files (0666 before umask).
#[cfg(unix)]
fn set_readable(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_: &File) -> io::Result<()> {
    Ok(())
}

/// Flush the directory entry of the rename to disk. Best effort: the new
/// contents are already in place, and some systems cannot open directories.
fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".tykdeps-"))
            .collect()
    }

    #[test]
    fn replaces_the_contents_and_leaves_no_temporary_file() {
        for durability in [Durability::Durable, Durability::Cache, Durability::OwnCache] {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("go.mod");
            std::fs::write(&file, "module old\n").unwrap();
            write(&file, b"module new\n", durability).unwrap();
            assert_eq!(std::fs::read_to_string(&file).unwrap(), "module new\n");
            assert!(leftovers(dir.path()).is_empty());
        }
    }

    #[test]
    fn a_failing_write_leaves_the_original_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("go.mod");
        std::fs::write(&file, "module old\n").unwrap();
        let result = write_with(&file, Durability::Durable, |f| {
            f.write_all(b"module half")?;
            Err(io::Error::other("disk full"))
        });
        assert_eq!(result.unwrap_err().to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "module old\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_dead_writers_temporary_file_is_swept_and_a_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("go.mod");
        std::fs::write(&file, "module old\n").unwrap();
        // Left by a writer killed before its rename: no one holds it.
        std::fs::write(dir.path().join(".tykdeps-dead.tmp"), "module half").unwrap();
        // A writer still at work holds its lock.
        let live = claim_temp(dir.path()).unwrap();
        let live_name = live
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        write(&file, b"module new\n", Durability::Durable).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "module new\n");
        assert_eq!(leftovers(dir.path()), [live_name]);
        drop(live);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn concurrent_writers_never_take_each_others_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|scope| {
            for writer in 0..8 {
                let dir = dir.path();
                scope.spawn(move || {
                    for round in 0..50 {
                        let file = dir.join(format!("f{}", (writer + round) % 3));
                        let data = format!("{writer} {round}\n");
                        write(&file, data.as_bytes(), Durability::Cache).unwrap();
                    }
                });
            }
        });
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_follows_symbolic_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.mod");
        std::fs::write(&real, "module old\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("go.mod");
        std::os::unix::fs::symlink("real.mod", &link).unwrap();
        write(&link, b"module new\n", Durability::Durable).unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "module new\n");
        let mode = real.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_world_readable_in_a_new_directory() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/v1.0.0.mod");
        write(&file, b"module m\n", Durability::Cache).unwrap();
        let mode = file.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }
}
