// Command upgrade-via-dependency is a lab plugin: an upgrade through a plugin's dependency.
package main

import (
	"lab.example/pdep"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return pdep.Name() }
