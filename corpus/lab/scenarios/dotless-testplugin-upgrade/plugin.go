// Command testplugin is a lab plugin named as Tyk's docs name plugins
// (`go mod init testplugin`): a module path without a dot.
package main

import "testplugin/handler"

// Describe is the symbol the lab gateway looks up and calls.
func Describe() string { return handler.Describe() }
