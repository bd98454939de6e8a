module lab.example/alpha

go 1.21

require lab.example/gamma v1.0.0
