module example.com/b

go 1.16

require (
	example.com/e v1.0.0
)
