// Deprecated: lost by the blank line

module example.com/m
