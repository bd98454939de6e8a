// Package notes come first.
//
// Deprecated: the second paragraph
// runs on.
//
// A trailing paragraph is not part of it.
module meta.example/deppara

go 1.21
