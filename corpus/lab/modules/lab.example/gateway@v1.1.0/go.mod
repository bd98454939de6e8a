module lab.example/gateway

go 1.21

require (
	lab.example/alpha v1.3.0
	lab.example/beta v1.0.0
	lab.example/delta v1.0.0
	lab.example/incompat v2.0.0+incompatible
	lab.example/legacy v0.0.0-20200101000000-aaaaaaaaaaaa
	lab.example/unlinked v1.0.0
)

require lab.example/gamma v1.0.0 // indirect

replace lab.example/beta => lab.example/beta-fork v1.0.0
