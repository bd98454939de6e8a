module example.com/m

go 1.21

replace example.com/a => ./a
replace example.com/b => ./b
replace example.com/a => ./c
