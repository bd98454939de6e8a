module example.com/two

go 1.22

replace example.com/c => ../c2
