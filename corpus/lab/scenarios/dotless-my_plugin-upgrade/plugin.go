// Command my_plugin is a lab plugin named as Tyk's docs name plugins
// (`go mod init my_plugin`): a module path without a dot.
package main

import "my_plugin/handler"

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return handler.Describe() }
