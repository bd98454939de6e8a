module meta.example/incno/v4

go 1.21
