// Command gateway is the example gateway: it links every shared module.
package main

import (
	"fmt"

	"example.com/forked"
	"example.com/gateway/apidef"
	"example.com/legacy"
	"example.com/logger"
	"example.com/shared"
)

func main() {
	fmt.Println(apidef.Name, forked.Name(), legacy.Name(), logger.Name(), shared.Name())
}
