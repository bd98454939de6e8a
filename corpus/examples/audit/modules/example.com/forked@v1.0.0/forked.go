// Package forked is the upstream release the gateway replaces with its fork.
package forked

// Name says which code this is.
func Name() string { return "forked upstream" }
