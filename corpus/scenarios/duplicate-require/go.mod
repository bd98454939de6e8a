module example.com/main

go 1.22

require (
	example.com/d v1.0.0
	example.com/d v1.1.0
)
