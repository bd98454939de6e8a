// Command testplugin is a lab plugin built with -tags=netgo, which selects
// other files of the standard library's net, a package the gateway links.
package main

import (
	"net"

	"lab.example/alpha"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return alpha.Name() + " " + net.IPv4(10, 0, 0, 1).String() }
