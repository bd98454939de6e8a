// Package handler is the plugin's own package; it is what links alpha.
package handler

import "lab.example/alpha"

// Describe says which alpha the plugin linked.
func Describe() string { return alpha.Name() }
