// Command plugin-replace-local-copy is a lab plugin: a plugin-side directory replace by an identical copy.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
