module lab.example/plugin/gateway-package

go 1.21

require (
	lab.example/gateway v1.0.0
)
