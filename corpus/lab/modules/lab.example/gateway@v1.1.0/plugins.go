//go:build goplugin

package main

import (
	"plugin"
	"strings"
)

// load opens the plugin as Tyk does and reports "loads" or plugin.Open's
// error, with the plugin's own path left out so outcomes compare across runs
// (plugin.Open names the file without its ".so").
func load(path string) string {
	p, err := plugin.Open(path)
	if err != nil {
		return "error: " + strings.ReplaceAll(err.Error(), strings.TrimSuffix(path, ".so"), "PLUGIN")
	}
	sym, err := p.Lookup("Describe")
	if err != nil {
		return "error: " + err.Error()
	}
	describe, ok := sym.(func() string)
	if !ok {
		return "error: Describe is not a func() string"
	}
	return "loads: " + describe()
}
