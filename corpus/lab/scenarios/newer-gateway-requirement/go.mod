module lab.example/plugin/newer-gateway-requirement

go 1.21

require (
	lab.example/gateway v1.1.0
	lab.example/alpha v1.3.0 // indirect
	lab.example/gamma v1.0.0 // indirect
)
