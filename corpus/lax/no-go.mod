module example.com/dep
require example.com/leaf v1.0.0
