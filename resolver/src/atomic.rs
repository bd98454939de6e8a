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
//! How durable the write is depends on what is written ([`Durability`]): a
//! user's go.mod must survive a crash, so it is flushed to disk, file and
//! directory entry; a cache file lost in a crash is only fetched or
//! computed again, so it is not.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How far a write goes before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// The user's files (go.mod edits): the contents are flushed to disk
    /// before the rename, and the directory after it.
    Durable,
    /// Cache files: renamed into place, not flushed.
    Cache,
}

/// Replace the contents of `file` with `data` (creating its directory).
///
/// # Errors
/// The I/O error that stopped the write; `file` is then as it was.
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
    let mut temp = tempfile::Builder::new()
        .prefix(".tykdeps-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    fill(temp.as_file_mut())?;
    match permissions {
        Some(permissions) => temp.as_file().set_permissions(permissions)?,
        None => set_readable(temp.as_file())?,
    }
    if durability == Durability::Durable {
        temp.as_file().sync_all()?;
    }
    temp.persist(&target).map_err(|e| e.error)?;
    if durability == Durability::Durable {
        sync_dir(dir);
    }
    Ok(())
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
        for durability in [Durability::Durable, Durability::Cache] {
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
