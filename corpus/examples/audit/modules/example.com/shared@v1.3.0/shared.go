// Package shared is a dependency both the gateway and plugins use.
package shared

// Name says which release this is.
func Name() string { return "shared v1.3.0" }
