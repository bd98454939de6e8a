go 1.21
require example.com/a v1.0.0
