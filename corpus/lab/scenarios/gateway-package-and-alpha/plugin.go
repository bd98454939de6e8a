// Command gateway-package-and-alpha is a lab plugin: the gateway's own package and a same-version dependency.
package main

import (
	"lab.example/alpha"
	"lab.example/gateway/apidef"
)

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return apidef.Describe(apidef.APIDefinition{Name: alpha.Name()}) }
