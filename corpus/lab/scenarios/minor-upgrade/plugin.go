// Command minor-upgrade is a lab plugin: minor upgrade.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
