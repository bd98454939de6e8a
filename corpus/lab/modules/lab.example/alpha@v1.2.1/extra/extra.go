// Package extra is part of the alpha module but not linked by the gateway.
package extra

// Name says which release of alpha/extra was linked.
func Name() string { return "alpha/extra v1.2.1" }
