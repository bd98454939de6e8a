module example.com/m

go 1.22

// Block rationale.
retract (
	v1.0.0 // one
	[v1.1.0, v1.2.0]

	// above
	v1.3.0
	[ v2.0.0,v2.1.0 ]
)
retract v0.1.0 // single
retract v0.2
