// Package incompat has v2+ tags but no go.mod: its versions are +incompatible.
package incompat

// Name says which release of incompat was linked.
func Name() string { return "incompat v2.1.0+incompatible" }
