module example.com/main

go 1.16

require (
	example.com/a v1.0.0
)

replace example.com/c => ./local/c
