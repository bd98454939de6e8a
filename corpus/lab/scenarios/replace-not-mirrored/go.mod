module lab.example/plugin/replace-not-mirrored

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/beta v1.0.0
)
