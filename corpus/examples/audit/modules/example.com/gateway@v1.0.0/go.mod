// The example gateway release: a stand-in for github.com/TykTechnologies/tyk.
module example.com/gateway

go 1.22

require (
	example.com/forked v1.0.0
	example.com/legacy v2.0.0+incompatible
	example.com/logger v1.0.0
	example.com/shared v1.2.0
)

// The gateway ships a patched fork; a plugin built on its own does not inherit this.
replace example.com/forked => example.com/forked-fix v1.0.0
