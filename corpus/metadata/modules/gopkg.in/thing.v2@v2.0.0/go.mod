module gopkg.in/thing.v2

go 1.21
