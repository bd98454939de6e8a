// Command unlinked-upgraded is a lab plugin: a module the gateway requires but never links.
package main

import (
	"lab.example/unlinked"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return unlinked.Name() }
