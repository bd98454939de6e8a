module example.com/m

go 1.21
go 1.22
