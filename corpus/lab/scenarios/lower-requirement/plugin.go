// Command lower-requirement is a lab plugin: a lower requirement raised by MVS.
package main

import (
	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
