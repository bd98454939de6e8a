module lab.example/gamma

go 1.21
