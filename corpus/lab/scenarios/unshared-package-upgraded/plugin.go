// Command unshared-package-upgraded is a lab plugin: an upgraded module whose upgraded package the gateway does not link.
package main

import (
	"lab.example/alpha/extra"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return extra.Name() }
