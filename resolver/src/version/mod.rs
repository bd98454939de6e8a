//! Go module versions and paths, with x/mod's exact rules: semver ordering,
//! canonical forms, pseudo-versions, `+incompatible`, major-version suffixes
//! and case-escaping.
//!
//! Every function takes strings as they appear in go.mod files and proxy
//! responses and answers as x/mod (or cmd/go, for [`gover`]) would, down to
//! error wording; the oracle test `version_oracle` holds them to that.

pub mod commit;
pub mod escape;
pub mod goquote;
pub(crate) mod gounicode;
pub mod gover;
pub mod module;
mod pathmatch;
pub mod pseudo;
pub mod release;
pub mod semver;
pub mod toolchain;
