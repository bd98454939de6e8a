module example.com/somewhere/else

go 1.20
