// Command same-version is a lab plugin: same version.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
