module lab.example/plugin/plugin-replace-fork

go 1.21

require (
	lab.example/gateway v1.0.0
	lab.example/alpha v1.2.0
	lab.example/gamma v1.0.0 // indirect
)

replace lab.example/alpha => lab.example/alpha-fork v1.2.0
