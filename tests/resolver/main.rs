//! Library-level integration tests of tykdeps-resolver, checked against the go command.

mod engine;
mod goenv;
mod hashes;
mod http;
mod memo_keys;
mod metadata;
mod netrc;
mod packages;
mod rule_pages;
mod sources;
mod summaries;
#[path = "../support/mod.rs"]
mod support;

mod commit_oracle;
mod gomod_edit;
mod gomod_oracle;
mod gomod_roundtrip;
mod graph;
mod toolchain_oracle;
mod version_oracle;
