// Package beta is the gateway's fork of lab.example/beta.
package beta

// Name says which beta was linked.
func Name() string { return "beta-fork v1.0.0" }
