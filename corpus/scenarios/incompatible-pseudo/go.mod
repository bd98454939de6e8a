module example.com/main

go 1.22

require (
	example.com/inc v2.0.0+incompatible
	example.com/nomod v1.0.0
	example.com/pseudo v0.0.0-20200101000000-abcdefabcdef
)
