module example.com/c

go 1.20

require (
	example.com/d v1.0.0
)
