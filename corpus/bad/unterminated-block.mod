module example.com/m

require (
	example.com/a v1.0.0
