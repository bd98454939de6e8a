module meta.example/legacy2

go 1.21
