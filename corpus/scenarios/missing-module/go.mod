module example.com/main

go 1.22

require (
	example.com/a v1.9.9
)
