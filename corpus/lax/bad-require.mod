module example.com/dep

go 1.21
require example.com/leaf vfoo
