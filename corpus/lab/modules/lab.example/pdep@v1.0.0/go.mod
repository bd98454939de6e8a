module lab.example/pdep

go 1.21

require lab.example/alpha v1.3.0
