// Command no-overlap is a lab plugin: no overlap.
package main

import (
	"lab.example/solo"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return solo.Name() }
