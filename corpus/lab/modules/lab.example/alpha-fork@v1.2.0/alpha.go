// Package alpha is a fork of lab.example/alpha v1.2.0.
package alpha

import "lab.example/gamma"

// Name says that the fork was linked.
func Name() string { return "alpha-fork v1.2.0 over " + gamma.Name() }
