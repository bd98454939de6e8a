module example.com/main

go 1.21

toolchain go1.21.5

require (
	example.com/x v1.0.0
)
