module meta.example/dep

go 1.21
