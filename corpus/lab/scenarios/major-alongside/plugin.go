// Command major-alongside is a lab plugin: a /vN major alongside.
package main

import (
	"lab.example/alpha"
	alphav2 "lab.example/alpha/v2"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() + ", " + alphav2.Name() }
