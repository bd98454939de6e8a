// Package pdep is a plugin's dependency that needs a newer alpha than the gateway.
package pdep

import "lab.example/alpha"

// Name reports pdep and the alpha it was built with.
func Name() string { return "pdep v1.0.0 over " + alpha.Name() }
