// Command identical-code-new-version is a lab plugin: a newer version whose code is identical.
package main

import (
	"lab.example/delta"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return delta.Name() }
