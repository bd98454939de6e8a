module example.com/gone

go 1.22

require (
	example.com/d v1.0.0
)
