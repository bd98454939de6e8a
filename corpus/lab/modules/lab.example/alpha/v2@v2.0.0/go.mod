module lab.example/alpha/v2

go 1.21
