// Package oldlib is a library only the plugin uses, since deprecated.
package oldlib

// Name says which release this is.
func Name() string { return "oldlib v1.0.0" }
