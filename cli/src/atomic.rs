//! Replacing a file so that readers see the old contents or the new, never a
//! half-written file, and a failure leaves the old one as it was.
//!
//! `tykdeps pin` (and later `fix`) rewrite a user's go.mod; a crash, a full
//! disk or a killed process in the middle of a plain `write` would leave a
//! truncated go.mod that the go command refuses. So the new contents go to a
//! temporary file in the same directory (a rename is only atomic within one
//! file system), which is flushed to disk, given the original's permissions,
//! and renamed over the original.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replace the contents of `path` with `contents`, atomically.
pub(crate) fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_with(path, |file| file.write_all(contents))
}

/// Replace the contents of `path` with what `fill` writes, atomically: if
/// `fill` or any later step fails, `path` is untouched and no temporary file
/// is left behind. A symbolic link is followed, so the file it points to is
/// replaced and the link stays.
fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let target = resolve(path)?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
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
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    sync_dir(dir);
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
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("go.mod");
        std::fs::write(&file, "module old\n").unwrap();
        write(&file, b"module new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "module new\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failing_write_leaves_the_original_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("go.mod");
        std::fs::write(&file, "module old\n").unwrap();
        let result = write_with(&file, |f| {
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
        write(&link, b"module new\n").unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "module new\n");
        let mode = real.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
