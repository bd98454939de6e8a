module lab.example/plugin/replace-mirrored

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/beta v1.0.0
)

replace lab.example/beta => lab.example/beta-fork v1.0.0
