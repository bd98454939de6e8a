module example.com/main

go 1.16

require (
	example.com/a v1.1.0
	example.com/y v1.0.0
)

exclude example.com/c v1.1.0
