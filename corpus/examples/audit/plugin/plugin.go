// Command plugin is an example Tyk-style Go plugin.
package main

import (
	"example.com/forked"
	"example.com/gateway/apidef"
	"example.com/legacy"
	"example.com/logger"
	"example.com/oldlib"
	"example.com/shared"
)

// Describe is the symbol the gateway looks up.
func Describe() string {
	return apidef.Name + forked.Name() + legacy.Name() + logger.Name() + oldlib.Name() + shared.Name()
}
