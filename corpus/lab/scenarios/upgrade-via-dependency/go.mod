module lab.example/plugin/upgrade-via-dependency

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/pdep v1.0.0
	lab.example/alpha v1.3.0 // indirect
	lab.example/gamma v1.0.0 // indirect
)
