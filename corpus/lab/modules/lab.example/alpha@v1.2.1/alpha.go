// Package alpha is a dependency the gateway requires and links.
package alpha

import "lab.example/gamma"

// Name says which release of alpha was linked, and of gamma beneath it.
func Name() string { return "alpha v1.2.1 over " + gamma.Name() }
