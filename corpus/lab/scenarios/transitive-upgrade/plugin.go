// Command transitive-upgrade is a lab plugin: an upgrade of a module the gateway links only indirectly.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
