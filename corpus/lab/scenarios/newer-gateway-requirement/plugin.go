// Command newer-gateway-requirement is a lab plugin: a plugin requiring a newer published gateway.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
