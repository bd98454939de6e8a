module example.com/alt

go 1.20

require (
	example.com/d v1.1.0
)
