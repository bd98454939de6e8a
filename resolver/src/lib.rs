//! The core of tykdeps: Go's module semantics, reimplemented to the letter.
//!
//! The pipeline is parse (`gomod`) → versions and paths (`version`) → module data
//! (`source`) → build lists (`graph`), with build info of compiled artifacts read by
//! `buildinfo`. Everything except the edge is pure: no environment, no network,
//! no writes. The edge is `source`'s fetchers (and `source::git`, the one
//! place git runs), `github`, `build_target`, `fix`, `setup::disk` and
//! `bots::from_audit`: services a front end calls, which read the disk or
//! run a program where the core takes values. The go command is the oracle
//! every module here is tested against.
#![warn(missing_docs)]

pub mod atomic;
pub mod audit;
pub mod bots;
#[cfg(feature = "net")]
pub mod build_target;
pub mod buildinfo;
#[cfg(feature = "net")]
pub mod fix;
#[cfg(feature = "net")]
pub mod github;
pub mod goenv;
pub mod gomod;
pub mod graph;
pub mod memo_key;
pub mod metadata;
pub mod packages;
mod packed;
pub mod setup;
pub mod snapshot;
pub mod source;
pub mod span;
pub mod version;
