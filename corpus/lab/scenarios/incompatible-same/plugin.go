// Command incompatible-same is a lab plugin: +incompatible, same version.
package main

import (
	"lab.example/incompat"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return incompat.Name() }
