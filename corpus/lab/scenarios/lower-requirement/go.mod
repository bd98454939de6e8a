module lab.example/plugin/lower-requirement

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/alpha v1.1.0
	lab.example/gamma v1.0.0 // indirect
)
