// Deprecated:    spaced
module (
	example.com/blockmod
)
