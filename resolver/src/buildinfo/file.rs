//! The file-system edge of build-info reading: map a binary into memory so that a
//! 100 MB gateway is read only where its headers, symbols and blob are.

use std::path::{Path, PathBuf};

use memmap2::Mmap;

use super::elf::{ElfError, ElfFacts, read_elf};

/// Why a binary could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadFileError {
    /// The file could not be opened or mapped.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a (well-formed) ELF file.
    #[error("{}: {source}", path.display())]
    Elf {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: ElfError,
    },
}

/// Read the ELF facts of the file at `path`.
pub fn read_elf_file(path: &Path) -> Result<ElfFacts, ReadFileError> {
    let io = |source| ReadFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("is a directory")));
    }
    if meta.len() == 0 {
        return Err(ReadFileError::Elf {
            path: path.to_path_buf(),
            source: ElfError::NotElf("empty file".to_owned()),
        });
    }
    // SAFETY: the map is read-only and lives only for this call. Another process
    // truncating the file meanwhile could fault; tykdeps reads build outputs that
    // nothing rewrites while it runs, and Go's own reader takes the same view.
    #[expect(
        unsafe_code,
        reason = "memory-mapping is the only way to read large binaries lazily"
    )]
    let map = unsafe { Mmap::map(&file) }.map_err(io)?;
    read_elf(&map).map_err(|source| ReadFileError::Elf {
        path: path.to_path_buf(),
        source,
    })
}
