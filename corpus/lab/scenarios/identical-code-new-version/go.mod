module lab.example/plugin/identical-code-new-version

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/delta v1.0.1
)
