module example.com/y

go 1.20

require example.com/c v1.0.0
