//! Library-level integration tests of tykdeps-resolver, checked against the go command.

#[path = "../support/mod.rs"]
mod support;

mod gomod_oracle;
mod gomod_roundtrip;
mod version_oracle;
