// Package tools uses lab.example/unlinked; nothing in the gateway binary
// imports it, so the module is required but never linked.
package tools

import "lab.example/unlinked"

// Name reports the unlinked module's release.
func Name() string { return unlinked.Name() }
