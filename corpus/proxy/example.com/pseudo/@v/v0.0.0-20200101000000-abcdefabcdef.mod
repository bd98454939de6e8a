module example.com/pseudo

go 1.18

require (
	example.com/d v1.1.0
)
