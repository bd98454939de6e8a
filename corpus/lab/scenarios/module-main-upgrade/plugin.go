// Command main is a lab plugin whose module path is `main`, as some
// published Tyk plugins have it.
package main

import "lab.example/alpha"

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
