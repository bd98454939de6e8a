// Package apidef is one of the gateway's own packages that plugins import.
package apidef

// Name names the API definition format.
const Name = "apidef"
