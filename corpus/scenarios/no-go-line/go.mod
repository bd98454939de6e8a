module example.com/main

require (
	example.com/a v1.0.0
)
