// Package logger is a dependency the plugin shares with the gateway at its version.
package logger

// Name says which release this is.
func Name() string { return "logger v1.0.0" }
