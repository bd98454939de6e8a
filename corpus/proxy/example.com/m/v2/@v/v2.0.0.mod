module example.com/m/v2

go 1.20

require (
	example.com/m v1.0.0
)
