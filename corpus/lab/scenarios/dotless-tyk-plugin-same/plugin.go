// Command tyk-plugin is a lab plugin named as Tyk's docs name plugins
// (`go mod init tyk-plugin`): a module path without a dot.
package main

import "tyk-plugin/handler"

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return handler.Describe() }
