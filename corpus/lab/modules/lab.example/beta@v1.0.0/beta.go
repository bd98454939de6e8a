// Package beta is replaced by a fork in the gateway's go.mod.
package beta

// Name says which beta was linked.
func Name() string { return "beta v1.0.0" }
