module example.com/r

go 1.20
retract v1.0.0 // broken
