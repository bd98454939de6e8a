module example.com/main

go 1.22

require (
	example.com/a v1.1.0
	example.com/c v1.1.0
	example.com/x v1.0.0
)
