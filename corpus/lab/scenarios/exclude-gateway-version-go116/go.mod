module lab.example/plugin/exclude-gateway-version-go116

go 1.16

require (
	lab.example/gateway v1.0.0
	lab.example/alpha v1.2.0
	lab.example/gamma v1.0.0 // indirect
)

exclude lab.example/alpha v1.2.0
