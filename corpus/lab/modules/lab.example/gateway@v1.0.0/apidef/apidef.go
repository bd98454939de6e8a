// Package apidef is the gateway's own package that plugins import, as Tyk
// plugins import github.com/TykTechnologies/tyk/apidef.
package apidef

// Version is the gateway release this package belongs to.
const Version = "gateway v1.0.0"

// APIDefinition is what the gateway hands to a plugin.
type APIDefinition struct {
	Name string
}

// Describe names an API the gateway way.
func Describe(d APIDefinition) string { return d.Name + " on " + Version }
