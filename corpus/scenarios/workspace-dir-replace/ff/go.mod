module example.com/f
