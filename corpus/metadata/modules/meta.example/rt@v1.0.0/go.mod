module meta.example/rt

go 1.21
