module meta.example/rt

go 1.21

retract v1.0.0 // only an older go.mod says this
