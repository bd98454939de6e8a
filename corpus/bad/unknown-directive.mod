module example.com/m

frobnicate example.com/a
