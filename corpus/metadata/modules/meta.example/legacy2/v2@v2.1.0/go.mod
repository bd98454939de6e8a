module meta.example/legacy2/v2

go 1.21

retract v2.1.0 // released too early
