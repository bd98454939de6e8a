// Command exclude-gateway-version is a lab plugin: an exclude of the version the gateway requires.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
