module example.com/dep

go v1.19.3

require (
	example.com/leaf v1.1.0 // indirect
	example.com/leaf v1.0.0+build
)
