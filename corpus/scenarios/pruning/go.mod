module example.com/main

go 1.22

require (
	example.com/a v1.0.0
	example.com/b v1.0.0
)
