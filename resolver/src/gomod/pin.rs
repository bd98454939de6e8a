//! `tykdeps pin MODULE@VERSION`'s edit: require a module at exactly one
//! version, as `go mod edit -require` means it, on a go.mod's text (comments
//! and layout kept). Writing the file is the front end's.

use miette::Diagnostic;
use thiserror::Error;

use super::{Edit, EditError, ParseError, apply};

/// Why nothing was pinned.
#[derive(Debug, Error, Diagnostic)]
pub enum PinError {
    /// The requirement names no version.
    #[error("{arg:?} is not MODULE@VERSION")]
    #[diagnostic(
        code(tykdeps::pin::usage),
        help("name the module and the exact version, e.g. github.com/pkg/errors@v0.9.1")
    )]
    NoVersion {
        /// The requirement as given.
        arg: String,
    },
    /// The go.mod does not parse.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(ParseError),
    /// The edit does not apply.
    #[error("cannot pin in {file}: {reason}")]
    #[diagnostic(code(tykdeps::pin::invalid))]
    Invalid {
        /// The go.mod's name.
        file: String,
        /// Why.
        reason: String,
    },
    /// The front end could not write the pinned go.mod.
    #[error("cannot write {file}: {source}; it is unchanged")]
    #[diagnostic(code(tykdeps::pin::write))]
    Write {
        /// The go.mod's name.
        file: String,
        /// Why.
        source: std::io::Error,
    },
}

/// `MODULE@VERSION` split into the module path and the version.
pub fn requirement(arg: &str) -> Result<(&str, &str), PinError> {
    arg.split_once('@').ok_or_else(|| PinError::NoVersion {
        arg: arg.to_owned(),
    })
}

/// The go.mod `text` (named `name`) with module `path` required at
/// exactly `version`.
pub fn pin(name: &str, text: &str, path: &str, version: &str) -> Result<String, PinError> {
    let edit = Edit::SetRequire {
        path: path.to_owned(),
        version: version.to_owned(),
        indirect: None,
    };
    apply(name, text, &[edit]).map_err(|e| match e {
        EditError::Parse(e) => PinError::Parse(e),
        other => PinError::Invalid {
            file: name.to_owned(),
            reason: other.to_string(),
        },
    })
}
