// Command gateway is the lab's stand-in for the Tyk Gateway: it links the
// shared packages and opens the Go plugin named on its command line.
package main

import (
	"fmt"
	"net"
	"os"

	"lab.example/alpha"
	"lab.example/beta"
	"lab.example/delta"
	"lab.example/gateway/apidef"
	"lab.example/incompat"
	"lab.example/legacy"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gateway PLUGIN.so")
		os.Exit(2)
	}
	// Every shared package is used, so the binary links all of them.
	linked := []string{alpha.Name(), beta.Name(), delta.Name(), incompat.Name(), legacy.Name(), apidef.Describe(apidef.APIDefinition{Name: "host"}), net.IPv4(127, 0, 0, 1).String()}
	fmt.Fprintln(os.Stderr, linked)
	fmt.Println(load(os.Args[1]))
}
