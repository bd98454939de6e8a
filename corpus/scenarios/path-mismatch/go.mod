module example.com/main

go 1.22

require (
	example.com/wrongpath v1.0.0
)
