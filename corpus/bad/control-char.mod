module example.com/m
