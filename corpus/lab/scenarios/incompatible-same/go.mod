module lab.example/plugin/incompatible-same

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/incompat v2.0.0+incompatible
)
