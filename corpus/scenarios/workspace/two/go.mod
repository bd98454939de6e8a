module example.com/two

go 1.16

require (
	example.com/b v1.0.0
	example.com/c v1.1.0
)
