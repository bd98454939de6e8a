// Package gamma is linked by the gateway only through alpha.
package gamma

// Name says which release of gamma was linked.
func Name() string { return "gamma v1.1.0" }
