// Command plugin-replace-fork is a lab plugin: a plugin-side replace of a shared module.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
