//go:build !goplugin

package main

// load refuses: like Tyk's gateway, this one supports Go plugins only when
// built with -tags=goplugin.
func load(string) string { return "error: built without -tags=goplugin" }
