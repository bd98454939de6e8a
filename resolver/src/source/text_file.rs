//! Reading a go.mod, go.work or go.sum the user names: bounded in size (a
//! mistaken argument, a binary or a log, is not read whole) and checked to
//! be UTF-8 text, with the line of the first bad byte.

use std::path::Path;

use miette::Diagnostic;
use thiserror::Error;

/// Larger files are refused: real go.sum files stay far below this, and it
/// keeps a mistaken argument (a binary, a log) from being read whole.
pub const MAX_BYTES: u64 = 8 << 20;

/// Why the file could not be read at all.
#[derive(Debug, Error, Diagnostic)]
pub enum ReadError {
    /// It cannot be read.
    #[error("cannot read {file}: {source}")]
    #[diagnostic(code(tykdeps::parse::read))]
    Io {
        /// The file, as named.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// It is over [`MAX_BYTES`].
    #[error("{file} is {size} bytes; tykdeps reads files of at most {MAX_BYTES} bytes")]
    #[diagnostic(
        code(tykdeps::parse::too_large),
        help("is this really a go.mod, go.work or go.sum file?")
    )]
    TooLarge {
        /// The file, as named.
        file: String,
        /// Its size in bytes.
        size: u64,
    },
    /// It is not UTF-8.
    #[error("{file} is not UTF-8 text (invalid byte at line {line})")]
    #[diagnostic(
        code(tykdeps::parse::encoding),
        help("go.mod, go.work and go.sum files are UTF-8 text")
    )]
    NotUtf8 {
        /// The file, as named.
        file: String,
        /// The line of the first invalid byte.
        line: usize,
    },
}

/// The text of `path`, named `name` in errors.
pub fn read(path: &Path, name: &str) -> Result<String, ReadError> {
    let io = |source| ReadError::Io {
        file: name.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_BYTES {
        return Err(ReadError::TooLarge {
            file: name.to_owned(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].split(|&b| b == b'\n').count();
        ReadError::NotUtf8 {
            file: name.to_owned(),
            line,
        }
    })
}
