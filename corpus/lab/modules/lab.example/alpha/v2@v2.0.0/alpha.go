// Package alpha is the second major version of lab.example/alpha.
package alpha

// Name says which release of alpha/v2 was linked.
func Name() string { return "alpha/v2 v2.0.0" }
