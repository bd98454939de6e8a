module example.com/m

go 1.21

replace (
	example.com/a v1.0.0 => example.com/x v1.0.0
	example.com/a => ./a
	example.com/a v1.0.0 => example.com/y v1.2.0
)
