module testplugin

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/alpha v1.2.0
	lab.example/gamma v1.0.0 // indirect
)
