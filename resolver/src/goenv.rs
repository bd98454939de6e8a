//! The go command's environment (GOPROXY, GOPRIVATE, GONOPROXY, GONOSUMDB,
//! GOINSECURE, GOFLAGS, GOMODCACHE, GOWORK), read from a map the CLI passes in:
//! the library never touches `std::env`.
