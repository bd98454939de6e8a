module lab.example/plugin/unlinked-upgraded

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/unlinked v1.1.0
)
