module meta.example/legacy2/v3

go 1.21
