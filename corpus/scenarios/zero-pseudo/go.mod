module example.com/main

go 1.22

require (
	example.com/gone v0.0.0-00010101000000-000000000000
)

replace example.com/gone => ./gone
