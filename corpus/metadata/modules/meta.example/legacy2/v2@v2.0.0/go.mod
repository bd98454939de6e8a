module meta.example/legacy2/v2

go 1.21
