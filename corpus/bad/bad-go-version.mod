module example.com/m

go 1.21.0-beta
