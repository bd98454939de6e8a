module lab.example/plugin/nogomod-same

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/legacy v0.0.0-20200101000000-aaaaaaaaaaaa
)
