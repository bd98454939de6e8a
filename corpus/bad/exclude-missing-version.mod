module example.com/m

exclude example.com/a
