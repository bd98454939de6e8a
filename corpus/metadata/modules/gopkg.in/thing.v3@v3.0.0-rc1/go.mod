module gopkg.in/thing.v3

go 1.21
