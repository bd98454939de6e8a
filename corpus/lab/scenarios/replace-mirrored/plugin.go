// Command replace-mirrored is a lab plugin: a gateway replace mirrored.
package main

import (
	"lab.example/beta"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return beta.Name() }
