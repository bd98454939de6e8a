module lab.example/plugin/nogomod-upgraded

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/legacy v0.0.0-20210101000000-bbbbbbbbbbbb
)
