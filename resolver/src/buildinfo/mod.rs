//! Go build info and link-time package hashes read from ELF executables and
//! plugin `.so` files.
