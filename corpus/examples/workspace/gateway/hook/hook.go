// Package hook is the API the example gateway hands to its plugins.
package hook

// Request is what a plugin hook receives.
type Request struct {
	Headers map[string]string
}
