// Package unlinked is required by the gateway but not in its binary.
package unlinked

// Name says which release of unlinked was linked.
func Name() string { return "unlinked v1.1.0" }
