//! The go command's limits on a module zip (golang.org/x/mod/zip `CheckZip`
//! and `Unzip`, cmd/go's modfetch): a zip that breaks them is refused by go
//! before anything is built from it, so a plugin needing it cannot be built.
//! tykdeps refuses it the same way, and checks before it inflates: a few
//! kilobytes of zip can declare gigabytes. An entry that inflates past its
//! declared size is refused by the zip crate as it reads (go: "larger than
//! declared size"); the test below keeps that true.

use std::io::{Read, Seek};

use zip::ZipArchive;

/// The largest module zip go downloads, and the largest total uncompressed
/// size of its files (`MaxZipFile`).
pub const MAX_ZIP_FILE: u64 = 500 << 20;
/// The largest go.mod in a module zip (`MaxGoMod`).
pub const MAX_GO_MOD: u64 = 16 << 20;
/// The largest LICENSE in a module zip (`MaxLICENSE`).
pub const MAX_LICENSE: u64 = 16 << 20;

/// Why go refuses a module zip, in its words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipLimitError {
    /// The zip file itself is larger than [`MAX_ZIP_FILE`].
    #[error("downloaded zip file too large (max size is {MAX_ZIP_FILE} bytes)")]
    ZipFile,
    /// Its files' declared sizes add up to more than [`MAX_ZIP_FILE`].
    #[error(
        "total uncompressed size of module contents too large (max size is {MAX_ZIP_FILE} bytes)"
    )]
    Contents,
    /// The module root's go.mod is larger than [`MAX_GO_MOD`].
    #[error("{0}: go.mod file too large (max size is {MAX_GO_MOD} bytes)")]
    GoMod(String),
    /// The module root's LICENSE is larger than [`MAX_LICENSE`].
    #[error("{0}: LICENSE file too large (max size is {MAX_LICENSE} bytes)")]
    License(String),
}

/// Refuse a zip of `len` bytes before reading it.
///
/// # Errors
/// [`ZipLimitError::ZipFile`] over [`MAX_ZIP_FILE`].
pub fn check_zip_size(len: u64) -> Result<(), ZipLimitError> {
    if len > MAX_ZIP_FILE {
        return Err(ZipLimitError::ZipFile);
    }
    Ok(())
}

/// Why a proxy response over [`MAX_ZIP_FILE`] is refused unread: no module
/// file a proxy serves may be larger (go: "downloaded zip file too large").
pub fn response_too_large() -> String {
    format!(
        "response too large (max size is {MAX_ZIP_FILE} bytes, the go command's limit for a module zip)"
    )
}

/// Whether `zip` is a zip archive within go's limits (sizes as declared).
///
/// # Errors
/// Why not: too large, not a zip, or a limit broken.
pub fn check_archive(zip: &[u8]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    check_zip_size(zip.len() as u64)?;
    check_declared(&mut ZipArchive::new(std::io::Cursor::new(zip))?)
}

/// Check the sizes `archive`'s headers declare, without inflating anything.
///
/// # Errors
/// The first limit broken, or an unreadable entry header.
pub fn check_declared<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.into_owned();
        let size = entry.size();
        total = total.saturating_add(size);
        if total > MAX_ZIP_FILE {
            return Err(ZipLimitError::Contents.into());
        }
        match module_relative(&name) {
            Some("go.mod") if size > MAX_GO_MOD => return Err(ZipLimitError::GoMod(name).into()),
            Some("LICENSE") if size > MAX_LICENSE => {
                return Err(ZipLimitError::License(name).into());
            }
            _ => {}
        }
    }
    Ok(())
}

/// An entry's path below the zip's `<module path>@<version>/` prefix (a
/// module path has no `@`, so the prefix ends at the first `/` after one).
pub fn module_relative(name: &str) -> Option<&str> {
    name.split_once('@')
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, rel)| rel)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    /// A zip of `(name, size)` files, each `size` spaces, deflated.
    fn zip_of(files: &[(&str, usize)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, size) in files {
            writer.start_file(*name, options).unwrap();
            let block = vec![b' '; 1 << 20];
            let mut left = *size;
            while left > 0 {
                let n = left.min(block.len());
                writer.write_all(&block[..n]).unwrap();
                left -= n;
            }
        }
        writer.finish().unwrap().into_inner()
    }

    fn declared(zip: Vec<u8>) -> Result<(), String> {
        let mut archive = ZipArchive::new(Cursor::new(zip)).unwrap();
        check_declared(&mut archive).map_err(|e| e.to_string())
    }

    #[test]
    fn go_limits_on_declared_sizes() {
        let m = "bomb.example/m@v1.0.0";
        assert_eq!(declared(zip_of(&[(&format!("{m}/go.mod"), 100)])), Ok(()));
        assert_eq!(
            declared(zip_of(&[(&format!("{m}/go.mod"), (16 << 20) + 1)])),
            Err(format!(
                "{m}/go.mod: go.mod file too large (max size is 16777216 bytes)"
            ))
        );
        // Only the module root's go.mod and LICENSE have their own limit.
        assert_eq!(
            declared(zip_of(&[(&format!("{m}/sub/LICENSE"), (16 << 20) + 1)])),
            Ok(())
        );
        assert_eq!(
            declared(zip_of(&[(&format!("{m}/LICENSE"), (16 << 20) + 1)])),
            Err(format!(
                "{m}/LICENSE: LICENSE file too large (max size is 16777216 bytes)"
            ))
        );
        assert_eq!(
            declared(zip_of(&[(&format!("{m}/a.go"), 300 << 20), (&format!("{m}/b.go"), 201 << 20)])),
            Err("total uncompressed size of module contents too large (max size is 524288000 bytes)".to_owned())
        );
        assert_eq!(check_zip_size(MAX_ZIP_FILE), Ok(()));
        assert_eq!(
            check_zip_size(MAX_ZIP_FILE + 1),
            Err(ZipLimitError::ZipFile)
        );
    }

    #[test]
    fn inflating_past_the_declared_size_is_refused() {
        let mut zip = zip_of(&[("bomb.example/m@v1.0.0/a.go", 4096)]);
        // Declare 16 bytes in both headers (their size fields are the only 4096s).
        let size = 4096u32.to_le_bytes();
        let at: Vec<usize> = zip
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == size)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(at.len(), 2, "one local and one central size field");
        for i in at {
            zip[i..i + 4].copy_from_slice(&16u32.to_le_bytes());
        }
        let mut archive = ZipArchive::new(Cursor::new(zip)).unwrap();
        assert!(
            check_declared(&mut archive).is_ok(),
            "the lie is only found inflating"
        );
        let mut entry = archive.by_index(0).unwrap();
        let err = std::io::copy(&mut entry, &mut std::io::sink()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "File is larger than its declared uncompressed size"
        );
    }
}
