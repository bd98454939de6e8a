module example.com/one

go 1.22

require (
	example.com/c v1.0.0
)

replace example.com/c v1.0.0 => ../c1
