module example.com/two

go 1.21

require (
	example.com/c v1.0.0
)

replace example.com/c => ../../c1
