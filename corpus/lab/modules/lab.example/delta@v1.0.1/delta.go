// Package delta has byte-identical source in v1.0.0 and v1.0.1: only the
// version differs.
package delta

// Name is the same in every release.
func Name() string { return "delta" }
