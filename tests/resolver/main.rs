//! Library-level integration tests of tykdeps-resolver, checked against the go command.

#[path = "../support/mod.rs"]
mod support;
mod version_oracle;

mod gomod_oracle;
mod graph;
