module example.com/main

go 1.22

require (
	example.com/r v1.0.0
)
