// Command testplugin is a lab plugin built with a build tag the gateway
// was not built with.
package main

import "lab.example/alpha"

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() }
