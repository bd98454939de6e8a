module example.com/m

go 1.21

require example.com/a v1.2.x
