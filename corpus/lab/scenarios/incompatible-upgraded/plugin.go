// Command incompatible-upgraded is a lab plugin: +incompatible, upgraded.
package main

import (
	"lab.example/incompat"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return incompat.Name() }
