module example.com/m

go 1.21

exclude example.com/a v1.0.0
exclude example.com/a v1.0.0
exclude example.com/a v1.1.0
replace example.com/b => ./b1
replace example.com/c v1.0.0 => ./c
replace example.com/b => ./b2
require example.com/a v1.2.0
require example.com/a v1.2.0
tool example.com/t
tool example.com/t
ignore ./x
ignore ./x
ignore y
