//! End-to-end tests of the `tykdeps` binary.
