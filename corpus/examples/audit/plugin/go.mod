// An example plugin, built on its own against the published gateway release.
module example.com/plugin

go 1.22

require (
	example.com/gateway v1.0.0
	example.com/forked v1.0.0
	example.com/legacy v2.0.0+incompatible
	example.com/logger v1.0.0
	example.com/oldlib v1.0.0
	// Newer than the gateway's v1.2.0: case 3, a conflict.
	example.com/shared v1.3.0
)
