// Command replace-not-mirrored is a lab plugin: a gateway replace not mirrored.
package main

import (
	"lab.example/beta"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return beta.Name() }
