module lab.example/plugin/incompatible-upgraded

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/incompat v2.1.0+incompatible
)
