module example.com/main

go 1.22

require (
	example.com/m/v2 v2.0.0
)
