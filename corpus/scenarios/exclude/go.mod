module example.com/main

go 1.16

require (
	example.com/a v1.0.0
)

exclude example.com/c v1.0.0
