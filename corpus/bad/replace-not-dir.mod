module example.com/m

replace example.com/a => example.com/b
