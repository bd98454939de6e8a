// Deprecated: use example.com/new instead.
// It will go away.
//
// More text.
module example.com/old

go 1.21
