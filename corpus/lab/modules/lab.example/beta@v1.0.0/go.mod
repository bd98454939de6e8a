module lab.example/beta

go 1.21
