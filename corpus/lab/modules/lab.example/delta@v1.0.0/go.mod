module lab.example/delta

go 1.21
