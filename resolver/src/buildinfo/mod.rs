//! Go build info and link-time package hashes read from ELF executables and
//! plugin `.so` files, and the prediction of `plugin.Open` built on them.
//!
//! `plugin.Open` compares, package by package, fingerprints the linker wrote into
//! both files; build info explains why they differ. Parsing is pure over bytes
//! (`elf`, `modinfo`; Go's quoting is `version::goquote`); `file` is the one edge that touches the file system.

pub mod elf;
pub mod file;
pub mod gateway;
pub mod modinfo;
pub mod predict;

pub use elf::{ElfError, ElfFacts, GlibcVersion, read_elf};
pub use modinfo::{BuildInfo, Module, Setting, parse_modinfo};
