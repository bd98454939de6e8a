//! End-to-end tests of the `tykdeps` binary.

#[path = "../support/mod.rs"]
mod support;

mod graph_oracle;
mod graph_real;
mod binary_lab;
mod inspect;
mod lab;
mod parse;
mod graph_errors;
