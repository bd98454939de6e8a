//! End-to-end tests of the `tykdeps` binary.

#[path = "../support/mod.rs"]
mod support;

mod parse;
mod graph_oracle;
mod graph_real;
