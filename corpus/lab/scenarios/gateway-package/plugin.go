// Command gateway-package is a lab plugin: the gateway's own package.
package main

import (
	"lab.example/gateway/apidef"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return apidef.Describe(apidef.APIDefinition{Name: "plugin"}) }
