// Package main is an example plugin: the gateway opens it with plugin.Open
// and looks up AddHeader.
package main

import "example.com/gateway/hook"

// AddHeader marks every request that passes through the plugin.
func AddHeader(r *hook.Request) {
	r.Headers["X-Example"] = "plugin"
}
