// Package forked is the gateway's patched fork of example.com/forked.
package forked

// Name says which code this is.
func Name() string { return "forked with the gateway's fix" }
