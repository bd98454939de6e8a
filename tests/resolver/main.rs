//! Library-level integration tests of tykdeps-resolver, checked against the go command.
