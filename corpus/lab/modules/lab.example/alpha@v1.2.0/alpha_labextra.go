//go:build labextra

package alpha

// Extra is compiled only into builds with -tags=labextra, so that tag
// changes the package both the gateway and a plugin link.
func Extra() string { return "labextra" }
