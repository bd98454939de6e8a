module example.com/all

go 1.24.0

toolchain go1.24.2

godebug (
	default=go1.21
	panicnil=1
)
godebug asynctimerchan=0

require example.com/a v1.0.0

exclude (
	example.com/z v1.0.0
	example.com/y v0.9.0
)

replace (
	example.com/a v1.0.0 => example.com/fork v1.0.1
	example.com/d => ../d
	example.com/e => /abs/e
	example.com/f => C:/f
)

tool (
	example.com/tool/cmd
)

ignore (
	./node_modules
	docs
)
