// Deprecated: use example.com/logger instead.
module example.com/oldlib

go 1.22

// Leaks a goroutine per call.
retract v1.0.0
