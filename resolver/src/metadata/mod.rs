//! Facts about a module that only its proxy knows, not the build list: whether
//! a version is retracted, whether the module is deprecated, whether a version
//! has a go.mod of its own, and which other major versions of it exist.
//!
//! The static audit's `retracted`, `deprecated`, `no-go-mod` and
//! `version-conflict` rules ask these questions. Each answer is decided the
//! way the go command decides it (cmd/go `modload`: `CheckRetractions`,
//! `CheckDeprecation`, `queryLatestVersionIgnoringRetractions`,
//! `versionHasGoMod`), by pure functions over version lists and go.mod bytes;
//! the async functions here only fetch those inputs through a
//! [`ModuleSource`](crate::source::ModuleSource). Where the go command would
//! shrug off a missing answer (a 404 on the version list makes `go list -m -u`
//! report nothing), these functions return a [`MetadataError`] instead, so a
//! caller can say "unknown" rather than "fine".
//!
//! Replacements are the caller's part: the go command looks up no
//! retractions or deprecation for a module whose every version is replaced
//! (`replace m => ...`), and reads the replacement's go.mod when only the
//! latest version is replaced. Ask these functions about the module path the
//! build really fetches.

pub mod latest;
pub mod majors;
pub mod notes;
pub mod presence;

use crate::source::FetchError;

pub use latest::{
    latest_allowed, latest_allowed_excluding, latest_ignoring_retractions, module_for_import,
};
pub use majors::{Majors, OtherMajor, Unchecked, other_majors};
pub use notes::{AuthorNotes, Retraction, author_notes, short_message};
pub use presence::{Nearest, has_own_go_mod, is_synthesized_go_mod, nearest_with_go_mod};

/// Why a metadata question has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// The source could not give a file the answer depends on (404 and 410
    /// included: the go command would stay silent, we say we do not know).
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The go command finds no latest version: the version list names no
    /// tagged version it allows (none at all, or every one retracted) and
    /// the proxy's `@latest` has none (404/410) or only a disallowed one.
    /// The go command then says nothing of retractions and deprecation.
    #[error("{path}: no matching versions for query \"latest\"")]
    NoLatest {
        /// The module path.
        path: String,
    },
    /// The module path is not one (`module.CheckPath`, or a malformed major
    /// suffix such as `/v1`).
    #[error("{path}: malformed module path")]
    InvalidPath {
        /// The path as given.
        path: String,
    },
    /// The go.mod the answer comes from does not parse (the go command
    /// reports the same file as an error).
    #[error("{module}: parsing go.mod: {detail}")]
    BadGoMod {
        /// `path@version` of that go.mod.
        module: String,
        /// The parser's message.
        detail: String,
    },
}
