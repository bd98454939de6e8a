// Some intro.
//
// Deprecated: second paragraph
module example.com/m
