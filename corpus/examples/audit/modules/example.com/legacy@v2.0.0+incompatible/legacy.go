// Package legacy predates modules: its releases have no go.mod.
package legacy

// Name says which release this is.
func Name() string { return "legacy v2.0.0+incompatible" }
