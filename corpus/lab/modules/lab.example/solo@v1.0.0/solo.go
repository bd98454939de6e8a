// Package solo shares nothing with the gateway.
package solo

// Name says which release of solo was linked.
func Name() string { return "solo v1.0.0" }
