module meta.example/dep/v2

go 1.21
