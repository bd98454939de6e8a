module lab.example/plugin/no-overlap

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/solo v1.0.0
)
