// Command exclude-gateway-version-go116 is a lab plugin: an exclude of the version the gateway requires, unpruned (go 1.16) module.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
