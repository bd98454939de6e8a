module example.com/c

go 1.22

require (
	example.com/f v1.0.0
)
