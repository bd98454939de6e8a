module meta.example/rt

go 1.21

// Published by mistake.
// The tag pointed at a broken commit.
retract v1.0.0

// Block comments speak for lines without their own.
retract (
	[v1.1.0, v1.1.9]
	v1.2.0 // data race in Close
)

retract v1.2.1

retract v1.0.0 // listed twice
