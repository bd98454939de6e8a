module example.com/x

go 1.22

require (
	example.com/a v1.1.0
)
