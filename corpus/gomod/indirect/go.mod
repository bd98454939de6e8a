module example.com/m

go 1.17

require (
	example.com/a v1.0.0 // indirect
	example.com/b v1.0.0 //indirect
	example.com/c v1.0.0 // indirect; because
	example.com/d v1.0.0 // indirect foo
	example.com/e v1.0.0 // Indirect
	example.com/f v1.2 // indirect
	example.com/g v1.2.3+meta
	example.com/h v2.0.0+incompatible
	gopkg.in/yaml.v2 v2.4.0
	example.com/i/v3 v3.0.0-20200101000000-abcdefabcdef
)
