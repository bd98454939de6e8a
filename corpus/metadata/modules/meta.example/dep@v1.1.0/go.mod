// Deprecated: use meta.example/dep/v2, which
// keeps the same API.
module meta.example/dep

go 1.21
