// Command nogomod-upgraded is a lab plugin: module without go.mod, newer pseudo-version.
package main

import (
	"lab.example/legacy"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return legacy.Name() }
