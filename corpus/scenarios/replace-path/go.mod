module example.com/main

go 1.16

require (
	example.com/a v1.0.0
	example.com/c v1.0.0
)

replace example.com/c => example.com/alt v1.0.0

replace example.com/d v1.0.0 => example.com/d v1.1.0
